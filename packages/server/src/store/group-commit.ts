import type { StoreTx } from './store-types.js';

/** How far a batch of concurrent state changes may grow before it commits. */
export interface GroupCommitOptions {
  /** Most changes in one transaction (default 64); 1 turns batching off. */
  maxBatch?: number;
  /**
   * Longest time, in ms, a batch stays open collecting changes that arrive while it runs
   * (default 2). A batch commits as soon as an event-loop turn brings nothing new, so a lone
   * change waits only that one turn; 0 takes only what is already queued.
   */
  maxWaitMs?: number;
  /**
   * Longest time, in ms, a background change (delivery bookkeeping: outbox claims and attempt
   * records) waits for a batch of other changes to join before it commits in one of its own
   * (default 10). It then shares their commit and log sync instead of taking a sync of its own
   * that a user's change arriving meanwhile would queue behind.
   */
  backgroundWaitMs?: number;
}

/** The defaults of {@link GroupCommitOptions}. */
export const GROUP_COMMIT_DEFAULTS = { maxBatch: 64, maxWaitMs: 2, backgroundWaitMs: 10 } as const;

/** How one change of {@link GroupCommit.run} is scheduled. */
export interface ChangeOptions {
  /** Asks for another try in a later batch instead of failing (a deadlock, for example). */
  retry?: (error: unknown, attempt: number) => boolean;
  /** Bookkeeping no user waits on: it rides along in the next batch (see `backgroundWaitMs`). */
  background?: boolean;
}

/** One open transaction of a batch, on whichever database. */
export interface BatchTransaction {
  /** Begins the transaction. */
  open(): Promise<void>;
  /** The store's methods for one change, registering its after-commit callbacks in `callbacks`. */
  tx(callbacks: (() => void)[]): StoreTx;
  /** Marks the start of one change (a savepoint). */
  mark(): Promise<void>;
  /**
   * Keeps the change since the last mark. A database that checks the change's writes later (at
   * the latest in `commit`) names it through `culprit` if one fails.
   */
  keep(): Promise<void>;
  /** Undoes the change since the last mark; false when the whole transaction is lost. */
  undo(): Promise<boolean>;
  /**
   * Once the transaction is lost: the change (counted from 0, in the order of `mark`) whose write
   * failed first, with that failure, when it was one of them. It alone fails; the others of the
   * batch did nothing wrong and run again in a later one.
   */
  culprit?(): { index: number; error: unknown } | undefined;
  /** Commits; the next batch may begin as soon as this resolves. */
  commit(): Promise<void>;
  /**
   * Runs `callbacks` (each change's after-commit work, in order) when their turn comes: at once on
   * SQLite, after other replicas' earlier events on PostgreSQL; the changes are acknowledged when
   * it resolves.
   */
  durable(callbacks: (() => void)[]): Promise<void>;
  rollback(): Promise<void>;
}

interface Change {
  fn: (tx: StoreTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  retry?: (error: unknown, attempt: number) => boolean;
  attempt: number;
  /** When a background change commits on its own (`performance.now()` ms); absent otherwise. */
  due?: number;
}

interface Applied {
  change: Change;
  callbacks: (() => void)[];
  value: unknown;
  callbackError?: unknown;
}

type Outcome = Applied | { change: Change; error: unknown };

/** One change's after-commit work; a callback that throws fails that change alone. */
function afterCommit(outcome: Applied): () => void {
  return () => {
    try {
      for (const callback of outcome.callbacks) callback();
    } catch (error) {
      outcome.callbackError = error;
    }
  };
}

/** Settles one change of a batch that committed (`failure`: but did not become durable). */
function acknowledge(outcome: Outcome, failure: { error: unknown } | undefined): void {
  if ('error' in outcome) outcome.change.reject(outcome.error);
  else if (failure) outcome.change.reject(failure.error);
  else if ('callbackError' in outcome) outcome.change.reject(outcome.callbackError);
  else outcome.change.resolve(outcome.value);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Group commit: state changes that arrive while a transaction runs are applied in the next one
 * together, each inside its own savepoint, and all are acknowledged once that one commit is
 * durable. A change that throws is rolled back to its savepoint and fails alone; its neighbours
 * commit. One batch runs at a time, through `begin` (which may queue behind other work).
 *
 * Background changes start no batch while they may wait: they join the next batch of other
 * changes, after those, and commit by themselves only once `backgroundWaitMs` has passed. So
 * delivery bookkeeping never holds the writer or the log sync when a decision comes in.
 */
export class GroupCommit {
  readonly #begin: (run: (batch: BatchTransaction) => Promise<void>) => void;
  readonly #maxBatch: number;
  readonly #maxWaitMs: number;
  readonly #backgroundWaitMs: number;
  readonly #pending: Change[] = [];
  // Background changes, oldest first; `#timer` begins a batch for them when the first is due.
  readonly #background: Change[] = [];
  #timer: NodeJS.Timeout | undefined;
  // Set by `whenIdle`: nobody is left to share a batch with, so held changes commit at once.
  #flushing = false;
  #scheduled = false;
  #settling = 0;
  readonly #idle: (() => void)[] = [];

  constructor(
    begin: (run: (batch: BatchTransaction) => Promise<void>) => void,
    options: GroupCommitOptions = {},
  ) {
    this.#begin = begin;
    this.#maxBatch = options.maxBatch ?? GROUP_COMMIT_DEFAULTS.maxBatch;
    this.#maxWaitMs = options.maxWaitMs ?? GROUP_COMMIT_DEFAULTS.maxWaitMs;
    this.#backgroundWaitMs = options.backgroundWaitMs ?? GROUP_COMMIT_DEFAULTS.backgroundWaitMs;
    if (!Number.isInteger(this.#maxBatch) || this.#maxBatch < 1) {
      throw new Error('maxBatch must be a whole number of at least 1');
    }
    if (!Number.isFinite(this.#maxWaitMs) || this.#maxWaitMs < 0) {
      throw new Error('maxWaitMs must be 0 or more');
    }
    if (!Number.isFinite(this.#backgroundWaitMs) || this.#backgroundWaitMs < 0) {
      throw new Error('backgroundWaitMs must be 0 or more');
    }
  }

  /** Runs `fn` in the next batch; settles once that batch committed (or `fn` failed). */
  run<T>(fn: (tx: StoreTx) => Promise<T>, options: ChangeOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const change: Change = {
        fn,
        resolve: resolve as (value: unknown) => void,
        reject,
        attempt: 1,
        ...(options.retry ? { retry: options.retry } : {}),
      };
      if (options.background) {
        change.due = performance.now() + this.#backgroundWaitMs;
        this.#background.push(change);
      } else this.#pending.push(change);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    const first = this.#background[0];
    const wait =
      this.#pending.length > 0 || this.#flushing || first === undefined
        ? 0
        : (first.due as number) - performance.now();
    if (this.#pending.length === 0 && first === undefined) return;
    if (wait > 0) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, wait);
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#scheduled = true;
    this.#begin((batch) => this.#runBatch(batch));
  }

  /** The next change a batch takes: other changes first, then the background ones. */
  #take(): Change | undefined {
    return this.#pending.shift() ?? this.#background.shift();
  }

  /** Puts changes back at the front of their queues, in order, for the next batch. */
  #requeue(changes: Change[]): void {
    this.#pending.unshift(...changes.filter((change) => change.due === undefined));
    this.#background.unshift(...changes.filter((change) => change.due !== undefined));
  }

  async #runBatch(batch: BatchTransaction): Promise<void> {
    const outcomes: Outcome[] = [];
    // Every change the batch began, in order (what `culprit` counts), and the retries it queues.
    const begun: Change[] = [];
    const retries = new Map<Change, Change>();
    const started = performance.now();
    try {
      await batch.open();
    } catch (error) {
      for (let index = 0; index < this.#maxBatch; index++) this.#take()?.reject(error);
      this.#finish();
      return;
    }
    try {
      for (;;) {
        while (outcomes.length < this.#maxBatch) {
          const change = this.#take();
          if (!change) break;
          begun.push(change);
          const outcome = await this.#apply(batch, change);
          if ('error' in outcome && change.retry?.(outcome.error, change.attempt)) {
            retries.set(change, { ...change, attempt: change.attempt + 1 });
          } else outcomes.push(outcome);
        }
        if (outcomes.length >= this.#maxBatch) break;
        if (performance.now() - started >= this.#maxWaitMs) break;
        // Let the requests that arrived meanwhile reach the store, then take them too (background
        // changes ride along but keep no batch open).
        await nextTurn();
        if (this.#pending.length === 0) break;
      }
      await batch.commit();
    } catch (error) {
      await batch.rollback().catch(() => undefined);
      const named = batch.culprit?.();
      const guilty = named && begun[named.index];
      // Only a change it kept can be to blame; otherwise the whole batch fails, as it would anyway.
      const culprit =
        guilty &&
        !retries.has(guilty) &&
        outcomes.some((o) => o.change === guilty && !('error' in o))
          ? named
          : undefined;
      const again: Change[] = [];
      for (const [index, change] of begun.entries()) {
        const retry = retries.get(change);
        const outcome = outcomes.find((candidate) => candidate.change === change);
        if (retry) again.push(retry);
        else if (outcome && 'error' in outcome) change.reject(outcome.error);
        else if (!culprit) change.reject(error);
        else if (index === culprit.index) change.reject(culprit.error);
        // It did nothing wrong: it runs again in the next batch.
        else again.push(change);
      }
      this.#requeue(again);
      this.#finish();
      return;
    }
    this.#requeue([...retries.values()]);
    // The next batch may begin while this one's callbacks wait for their turn.
    this.#settling++;
    this.#finish();
    void this.#settle(batch, outcomes);
  }

  async #settle(batch: BatchTransaction, outcomes: Outcome[]): Promise<void> {
    let failure: { error: unknown } | undefined;
    try {
      await batch.durable(
        outcomes.flatMap((outcome) => ('error' in outcome ? [] : afterCommit(outcome))),
      );
    } catch (error) {
      // Committed but not known to be on disk: never acknowledged as durable.
      failure = { error };
    }
    try {
      // The other changes' callers go first (a decision's answer, its waiters' wake-ups): the
      // bookkeeping's next steps (the next claim, a Slack call) run a turn later, not among them.
      const others = outcomes.filter((outcome) => outcome.change.due === undefined);
      for (const outcome of others) acknowledge(outcome, failure);
      if (others.length < outcomes.length) await nextTurn();
      for (const outcome of outcomes) {
        if (outcome.change.due !== undefined) acknowledge(outcome, failure);
      }
    } finally {
      this.#settling--;
      this.#wakeIdle();
    }
  }

  /**
   * Resolves once no change waits, no batch runs and every committed one is settled; background
   * changes held meanwhile commit at once (the store is closing: nothing more will join them).
   */
  whenIdle(): Promise<void> {
    if (this.#idleNow()) return Promise.resolve();
    this.#flushing = true;
    this.#schedule();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #idleNow(): boolean {
    return (
      !this.#scheduled &&
      this.#settling === 0 &&
      this.#pending.length === 0 &&
      this.#background.length === 0
    );
  }

  #finish(): void {
    this.#scheduled = false;
    this.#schedule();
    this.#wakeIdle();
  }

  #wakeIdle(): void {
    if (!this.#idleNow()) return;
    this.#flushing = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  async #apply(batch: BatchTransaction, change: Change): Promise<Outcome> {
    const callbacks: (() => void)[] = [];
    try {
      await batch.mark();
      const value = await change.fn(batch.tx(callbacks));
      await batch.keep();
      return { change, callbacks, value };
    } catch (error) {
      if (await batch.undo().catch(() => false)) return { change, error };
      // The database dropped the whole transaction: the batch is lost.
      throw error;
    }
  }
}

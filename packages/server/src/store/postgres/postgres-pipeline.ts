import { DatabaseError, type PoolClient, type QueryResult } from 'pg';
import { mergedWrites, type Statement } from './merged-writes.js';
import { statementName } from './statement-names.js';

/** A statement sent without waiting for its answer; `done` settles with it and never rejects. */
export interface Sent {
  done: Promise<void>;
  failed?: { error: unknown };
}

/** The change of a batch in progress: its number, the writes it holds back, its savepoint. */
interface Change {
  owner: number;
  writes: Statement[];
  savepoint?: Sent;
}

/**
 * The statements of one connection, pipelined: what nobody needs the answer of at once (writes,
 * locks, savepoints) is sent without waiting and travels with the next statement that waits. A
 * transaction that has failed fails every later statement, so a statement that succeeds proves
 * that everything sent before it did too; {@link confirm} checks the rest.
 *
 * Inside a transaction the statements belong to changes of a batch. A change's writes are held
 * back until it sends any other statement or ends, and then leave as one message; a change takes
 * a savepoint before its first statement, so one that ends having sent none (its reads answered
 * from what the session kept) costs the database a single statement, and undoing it costs none.
 */
export class Pipeline {
  readonly #client: PoolClient;
  #unconfirmed: Sent[] = [];
  #corked = false;
  #firstFailure: { owner: number | undefined; error: unknown } | undefined;
  #change: Change | undefined;
  /** A savepoint of an earlier change is still open; the next one releases it first. */
  #open = false;

  /** When statements sent together leave: before the next I/O, or on the event loop's next turn. */
  readonly #hold: (flush: () => void) => void;

  /**
   * `holdUntil: 'turn'` lets everything sent during one turn of the event loop (many requests'
   * reads, on a shared connection) leave in one write.
   */
  constructor(client: PoolClient, holdUntil: 'tick' | 'turn' = 'tick') {
    this.#client = client;
    this.#hold = holdUntil === 'turn' ? (flush) => setImmediate(flush) : process.nextTick;
  }

  /** Sends a statement of the batch itself (BEGIN, a notification), outside any change. */
  send(text: string, values?: unknown[]): Sent {
    const owner = this.#change?.owner;
    const sent: Sent = { done: Promise.resolve() };
    sent.done = this.#queryNow(text, values).then(
      () => undefined,
      (error: unknown) => {
        sent.failed = { error };
        this.#firstFailure ??= { owner, error };
      },
    );
    this.#unconfirmed.push(sent);
    return sent;
  }

  /** Sends a statement of the change without waiting (a lock): its failure fails a later one. */
  statement(text: string, values?: unknown[]): void {
    this.#prepare();
    this.send(text, values);
  }

  /** A write of the change whose answer nobody reads: held back until the change sends or ends. */
  write(text: string, values: unknown[]): void {
    if (this.#change) this.#change.writes.push({ text, values });
    else this.send(text, values);
  }

  /** Sends a statement and waits for its answer. */
  async query(text: string, values?: unknown[]): Promise<QueryResult> {
    this.#prepare();
    const earlier = this.#unconfirmed.slice();
    const owner = this.#change?.owner;
    try {
      const result = await this.#queryNow(text, values);
      // In order: what was sent before it succeeded too.
      const last = this.#unconfirmed.indexOf(earlier.at(-1) as Sent);
      if (last >= 0) this.#unconfirmed.splice(0, last + 1);
      return result;
    } catch (error) {
      this.#firstFailure ??= { owner, error };
      // The first failure is the cause; the statements after it only saw an aborted transaction.
      throw (await failureAmong(earlier)) ?? error;
    }
  }

  /** Waits for every statement sent so far; throws the first one's failure. */
  async confirm(): Promise<void> {
    const failure = await failureAmong(this.#unconfirmed.splice(0));
    if (failure !== undefined) throw failure;
  }

  /** Starts change number `owner` of the batch. */
  beginChange(owner: number): void {
    this.#change = { owner, writes: [] };
  }

  /** Ends the change: its writes leave now; their failure fails a later statement. */
  endChange(): void {
    this.#flush();
    this.#change = undefined;
  }

  /** Undoes the change; false when only losing the whole transaction can (it failed before). */
  async undoChange(): Promise<boolean> {
    const change = this.#change;
    this.#change = undefined;
    // Without a savepoint it sent nothing: what it held back is all there is to undo.
    if (!change?.savepoint) return true;
    await change.savepoint.done;
    if (change.savepoint.failed) return false;
    await this.#client.query('ROLLBACK TO SAVEPOINT change');
    // Everything before the rollback has answered, and what failed after the savepoint is undone.
    this.#unconfirmed = [];
    this.#firstFailure = undefined;
    return true;
  }

  /**
   * The change whose statement the database refused first, once the transaction is lost. Only a
   * refusal counts: the transaction then never commits, so the other changes may run again. A lost
   * connection says nothing of what the database did (it may even have committed).
   */
  culprit(): { index: number; error: unknown } | undefined {
    const first = this.#firstFailure;
    if (first?.owner === undefined || !(first.error instanceof DatabaseError)) return undefined;
    return { index: first.owner, error: first.error };
  }

  /** Before a statement of the change: its savepoint (once), then what it held back. */
  #prepare(): void {
    const change = this.#change;
    if (change && !change.savepoint) {
      change.savepoint = this.send(
        this.#open ? 'RELEASE SAVEPOINT change; SAVEPOINT change' : 'SAVEPOINT change',
      );
      this.#open = true;
    }
    this.#flush();
  }

  #flush(): void {
    const writes = this.#change?.writes;
    if (!writes?.length) return;
    for (const { text, values } of mergedWrites(writes.splice(0))) this.send(text, values);
  }

  /**
   * The driver writes each message of a statement (parse, bind, execute, sync) on its own: held
   * back until the code running now has sent all it will, they leave in one write, together with
   * the statements pipelined before them.
   */
  #queryNow(text: string, values?: unknown[]): Promise<QueryResult> {
    if (!this.#corked) {
      const stream = this.#client.connection.stream;
      stream.cork();
      this.#corked = true;
      this.#hold(() => {
        this.#corked = false;
        stream.uncork();
      });
    }
    const name = statementName(text, values);
    return name === undefined
      ? this.#client.query(text, values)
      : this.#client.query({ name, text, values: values as unknown[] });
  }
}

async function failureAmong(sent: Sent[]): Promise<unknown> {
  await Promise.all(sent.map((statement) => statement.done));
  return sent.find((statement) => statement.failed)?.failed?.error;
}

import { DatabaseError, type PoolClient, type QueryResult } from 'pg';
import { POSTGRES } from '../sql/dialect.js';
import { AUDIT, LOG_LOCKED } from '../sql/queries.js';
import type { LogHead, SqlSession } from '../sql/sql-session.js';
import { bindValues, type Parameters, type Query, render } from '../sql/sql-template.js';
import { type AuditRow, toAuditEntry } from '../store-rows.js';

/** A statement sent without waiting for its answer; `done` settles with it and never rejects. */
export interface Sent {
  done: Promise<void>;
  failed?: { error: unknown };
}

/** Rows the caller may change without changing the kept ones. */
const copies = (rows: readonly object[]) => rows.map((row) => ({ ...row }));

/** Where a change of a batch starts: what {@link PgSession.rewind} returns to. */
export interface Checkpoint {
  events: number;
  head: LogHead | undefined;
}

/**
 * One connection's view for the duration of a transaction or a read. The connection pipelines:
 * statements whose answer nobody needs at once (writes, locks, savepoints) are sent without
 * waiting, so they travel with the next statement that waits instead of costing a round trip
 * each. A transaction that has failed fails every later statement, so a statement that succeeds
 * proves that everything sent before it did too; {@link confirm} checks the rest.
 */
export class PgSession implements SqlSession {
  readonly #client: PoolClient;
  readonly #schema: string;
  readonly locking: boolean;
  /** Event ids appended in this transaction, in order. */
  readonly eventIds: number[] = [];
  #head: LogHead | undefined;
  #reading: Promise<LogHead> | undefined;
  /** Rows of {@link LOG_LOCKED} reads made while holding the log lock. */
  readonly #kept = new Map<Query, object[]>();
  #unconfirmed: Sent[] = [];
  #corked = false;
  /** The change of a batch (counted from 0) sending now; undefined for the batch's own statements. */
  owner: number | undefined;
  #firstFailure: { owner: number | undefined; error: unknown } | undefined;

  constructor(client: PoolClient, schema: string, locking: boolean) {
    this.#client = client;
    this.#schema = schema;
    this.locking = locking;
  }

  /** Sends a statement without waiting; its failure surfaces at the next wait or {@link confirm}. */
  send(text: string, values?: unknown[]): Sent {
    const sent: Sent = { done: Promise.resolve() };
    const owner = this.owner;
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

  /** Sends a statement and waits for its answer. */
  async query(text: string, values?: unknown[]): Promise<QueryResult> {
    const earlier = this.#unconfirmed.slice();
    const owner = this.owner;
    try {
      const result = await this.#queryNow(text, values);
      // In order: what was sent before it succeeded too.
      const last = this.#unconfirmed.indexOf(earlier.at(-1) as Sent);
      if (last >= 0) this.#unconfirmed.splice(0, last + 1);
      return result;
    } catch (error) {
      this.#firstFailure ??= { owner, error };
      // The first failure is the cause; the statements after it only saw an aborted transaction.
      throw (await this.#failureAmong(earlier)) ?? error;
    }
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
      process.nextTick(() => {
        this.#corked = false;
        stream.uncork();
      });
    }
    return this.#client.query(text, values);
  }

  /** Waits for every statement sent so far; throws the first one's failure. */
  async confirm(): Promise<void> {
    const failure = await this.#failureAmong(this.#unconfirmed.splice(0));
    if (failure !== undefined) throw failure;
  }

  async #failureAmong(sent: Sent[]): Promise<unknown> {
    await Promise.all(sent.map((statement) => statement.done));
    return sent.find((statement) => statement.failed)?.failed?.error;
  }

  #rendered(query: Query, parameters: Parameters): [string, unknown[]] {
    const rendered = render(query, POSTGRES);
    return [rendered.text, bindValues(rendered, POSTGRES, parameters)];
  }

  async rows<T>(query: Query, parameters: Parameters = {}): Promise<T[]> {
    await this.#beforeWrite(query);
    // Held since before this read, the log lock keeps what it reads from changing until commit.
    const keep = this.#head !== undefined && LOG_LOCKED.reads.has(query);
    const kept = keep ? this.#kept.get(query) : undefined;
    if (kept) return copies(kept) as T[];
    const { rows } = await this.query(...this.#rendered(query, parameters));
    if (keep) this.#kept.set(query, copies(rows));
    return rows as T[];
  }

  async one<T>(query: Query, parameters: Parameters = {}): Promise<T | undefined> {
    return (await this.rows<T>(query, parameters))[0];
  }

  async run(query: Query, parameters: Parameters = {}): Promise<number> {
    await this.#beforeWrite(query);
    return (await this.query(...this.#rendered(query, parameters))).rowCount ?? 0;
  }

  async write(query: Query, parameters: Parameters = {}): Promise<void> {
    await this.#beforeWrite(query);
    this.send(...this.#rendered(query, parameters));
  }

  /** A write of a {@link LOG_LOCKED} table takes the log lock, and what was kept of it is stale. */
  async #beforeWrite(query: Query): Promise<void> {
    if (!LOG_LOCKED.writes.has(query)) return;
    await this.lockLog();
    this.#kept.clear();
  }

  /**
   * Takes a transaction-scoped advisory lock named within this store's schema. The next statement
   * runs only once the lock is held, so there is no need to wait here.
   */
  async lockName(name: string): Promise<void> {
    if (!this.locking) return;
    this.send('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.#schema}:${name}`]);
  }

  /**
   * Several replicas append to one stream and one chain: the advisory lock orders them. The head
   * is read once, in the statement after the lock (so after every earlier holder's commit), and
   * kept for the rest of the transaction.
   */
  async lockLog(): Promise<LogHead | undefined> {
    if (!this.locking) return undefined;
    if (this.#head) return this.#head;
    this.#reading ??= this.#readHead().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #readHead(): Promise<LogHead> {
    await this.lockName('log');
    const row = await this.one<AuditRow & { event_id: number; seq: number | null }>(AUDIT.head);
    this.#head = {
      eventId: row?.event_id ?? 0,
      audit: row && row.seq !== null ? toAuditEntry(row) : undefined,
    };
    return this.#head;
  }

  /** Where a change of a batch starts: what {@link rewind} returns to. */
  checkpoint(): Checkpoint {
    return { events: this.eventIds.length, head: this.#head && { ...this.#head } };
  }

  /**
   * Forgets what a change rolled back to its savepoint did, its locks included; call once the
   * rollback has answered, so every statement before it has too.
   */
  rewind(checkpoint: Checkpoint): void {
    this.eventIds.length = checkpoint.events;
    this.#head = checkpoint.head && { ...checkpoint.head };
    this.#unconfirmed = [];
    this.#firstFailure = undefined;
    // What it kept may hold the rolled-back change's own writes.
    this.#kept.clear();
  }

  async eventAppended(id: number): Promise<void> {
    // The batch announces its events with one notification before it commits.
    this.eventIds.push(id);
  }
}

import { POSTGRES } from '../sql/dialect.js';
import { AUDIT, LOCKED_REQUEST, LOG_LOCKED } from '../sql/queries.js';
import type { LogHead, SqlSession } from '../sql/sql-session.js';
import { bindValues, type Parameters, type Query, render } from '../sql/sql-template.js';
import { type AuditRow, toAuditEntry } from '../store-rows.js';
import type { Pipeline } from './postgres-pipeline.js';

/** Rows the caller may change without changing the kept ones. */
const copies = (rows: readonly object[]) => rows.map((row) => ({ ...row }));

/** Where a change of a batch starts: what {@link PgSession.rewind} returns to. */
export interface Checkpoint {
  events: number;
  head: LogHead | undefined;
}

/**
 * One connection's view for the duration of a transaction or a read, its statements pipelined
 * (see {@link Pipeline}). Holding the log lock, it reads the head of the log once and keeps it,
 * with what it read of the tables only lock holders change.
 */
export class PgSession implements SqlSession {
  readonly #schema: string;
  readonly locking: boolean;
  /** Event ids appended in this transaction, in order. */
  readonly eventIds: number[] = [];
  #head: LogHead | undefined;
  #reading: Promise<LogHead> | undefined;
  /** Rows of {@link LOG_LOCKED} reads made while holding the log lock. */
  readonly #kept = new Map<Query, object[]>();
  /** The version of each request this transaction holds locked (see {@link LOCKED_REQUEST}). */
  readonly #lockedVersions = new Map<unknown, unknown>();
  readonly pipeline: Pipeline;
  /** Admits a single SELECT (outside any transaction) and refuses everything after it. */
  readonly #oneStatement: boolean;
  #statements = 0;
  /** Asked for more than {@link #oneStatement} admits: it must run again in a transaction. */
  outgrown = false;

  constructor(pipeline: Pipeline, schema: string, locking: boolean, oneStatement = false) {
    this.pipeline = pipeline;
    this.#schema = schema;
    this.locking = locking;
    this.#oneStatement = oneStatement;
  }

  #rendered(query: Query, parameters: Parameters): [string, unknown[]] {
    const rendered = render(query, POSTGRES);
    if (this.#oneStatement && (this.#statements++ > 0 || !/^SELECT\s/.test(rendered.text))) {
      this.outgrown = true;
      throw new Error('This read needs a transaction: it sends more than one SELECT');
    }
    return [rendered.text, bindValues(rendered, POSTGRES, parameters)];
  }

  async rows<T>(query: Query, parameters: Parameters = {}): Promise<T[]> {
    await this.#beforeWrite(query);
    // Held since before this read, the log lock keeps what it reads from changing until commit.
    const keep = this.#head !== undefined && LOG_LOCKED.reads.has(query);
    const kept = keep ? this.#kept.get(query) : undefined;
    if (kept) return copies(kept) as T[];
    const { rows } = await this.pipeline.query(...this.#rendered(query, parameters));
    if (keep) this.#kept.set(query, copies(rows));
    if (query === LOCKED_REQUEST.read && this.locking && rows[0]) {
      this.#lockedVersions.set(parameters.id, rows[0].version);
    }
    return rows as T[];
  }

  async one<T>(query: Query, parameters: Parameters = {}): Promise<T | undefined> {
    return (await this.rows<T>(query, parameters))[0];
  }

  async run(query: Query, parameters: Parameters = {}): Promise<number> {
    await this.#beforeWrite(query);
    if (
      query === LOCKED_REQUEST.update &&
      this.#lockedVersions.get(parameters.id) === parameters.previousVersion
    ) {
      this.pipeline.write(...this.#rendered(query, parameters));
      this.#lockedVersions.set(parameters.id, parameters.version);
      return 1;
    }
    return (await this.pipeline.query(...this.#rendered(query, parameters))).rowCount ?? 0;
  }

  async write(query: Query, parameters: Parameters = {}): Promise<void> {
    await this.#beforeWrite(query);
    this.pipeline.write(...this.#rendered(query, parameters));
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
    this.pipeline.statement('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `${this.#schema}:${name}`,
    ]);
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

  /** Forgets what an undone change did, its locks included. */
  rewind(checkpoint: Checkpoint): void {
    this.eventIds.length = checkpoint.events;
    this.#head = checkpoint.head && { ...checkpoint.head };
    // What it kept may hold the rolled-back change's own writes, and its row locks may be gone.
    this.#kept.clear();
    this.#lockedVersions.clear();
  }

  async eventAppended(id: number): Promise<void> {
    // The batch announces its events with one notification before it commits.
    this.eventIds.push(id);
  }
}

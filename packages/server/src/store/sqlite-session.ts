import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { SQLITE } from './sql/dialect.js';
import { AUDIT, EVENTS, LOG_LOCKED } from './sql/queries.js';
import type { LogHead, SqlSession } from './sql/sql-session.js';
import { bindValues, type Parameters, type Query, render } from './sql/sql-template.js';
import { type AuditRow, toAuditEntry } from './store-rows.js';

/** Where a change of a batch starts: what {@link SqliteSession.rewind} returns to. */
export interface SqliteCheckpoint {
  head: LogHead | undefined;
}

/** Rows the caller may change without changing the kept ones. */
const copies = (rows: readonly object[]) => rows.map((row) => ({ ...row }));

/**
 * The store's queries on the one SQLite connection, each prepared once. Transactions already run
 * one at a time on that connection, so the locks other databases need are no-ops here. Inside a
 * batch (BEGIN IMMEDIATE holds the database's one write lock, so no other connection or process
 * writes until COMMIT) it reads the head of the log once and keeps it, with what it read of the
 * tables only {@link LOG_LOCKED} writes change: every change of the batch would read them again.
 */
export class SqliteSession implements SqlSession {
  readonly locking: boolean;
  readonly #db: DatabaseSync;
  readonly #prepared: Map<string, StatementSync>;
  #inBatch = false;
  #head: LogHead | undefined;
  readonly #kept = new Map<Query, object[]>();

  constructor(db: DatabaseSync, prepared: Map<string, StatementSync>, locking: boolean) {
    this.#db = db;
    this.#prepared = prepared;
    this.locking = locking;
  }

  #statement(query: Query, parameters: Parameters): [StatementSync, SQLInputValue[]] {
    const rendered = render(query, SQLITE);
    let statement = this.#prepared.get(rendered.text);
    if (!statement) {
      statement = this.#db.prepare(rendered.text);
      this.#prepared.set(rendered.text, statement);
    }
    return [statement, bindValues(rendered, SQLITE, parameters) as SQLInputValue[]];
  }

  async rows<T>(query: Query, parameters: Parameters = {}): Promise<T[]> {
    const keep = this.#inBatch && LOG_LOCKED.reads.has(query);
    const kept = keep ? this.#kept.get(query) : undefined;
    if (kept) return copies(kept) as T[];
    const [statement, values] = this.#statement(query, parameters);
    const rows = statement.all(...values) as T[];
    if (keep) this.#kept.set(query, copies(rows as object[]));
    return rows;
  }

  async one<T>(query: Query, parameters: Parameters = {}): Promise<T | undefined> {
    if (this.#inBatch && LOG_LOCKED.reads.has(query))
      return (await this.rows<T>(query, parameters))[0];
    const [statement, values] = this.#statement(query, parameters);
    return statement.get(...values) as T | undefined;
  }

  async run(query: Query, parameters: Parameters = {}): Promise<number> {
    if (LOG_LOCKED.writes.has(query)) this.#kept.clear();
    const [statement, values] = this.#statement(query, parameters);
    return Number(statement.run(...values).changes);
  }

  async write(query: Query, parameters: Parameters = {}): Promise<void> {
    await this.run(query, parameters);
  }

  /** Inside a batch, the head of the log, read at the first append and advanced by each. */
  async lockLog(): Promise<LogHead | undefined> {
    if (!this.#inBatch) return undefined;
    if (this.#head) return this.#head;
    const [nextId] = this.#statement(EVENTS.nextId, {});
    const [last] = this.#statement(AUDIT.last, {});
    const row = last.get() as AuditRow | undefined;
    this.#head = {
      eventId: Number((nextId.get() as { id: number }).id) - 1,
      audit: row ? toAuditEntry(row) : undefined,
    };
    return this.#head;
  }

  /** A batch began (its write lock is held): what other connections wrote before is read anew. */
  beginBatch(): void {
    this.#inBatch = true;
    this.#head = undefined;
    this.#kept.clear();
  }

  /** The batch committed or rolled back: nothing kept holds any more. */
  endBatch(): void {
    this.#inBatch = false;
    this.#head = undefined;
    this.#kept.clear();
  }

  /** Where a change of the batch starts. */
  checkpoint(): SqliteCheckpoint {
    return { head: this.#head && { ...this.#head } };
  }

  /** Forgets what an undone change did (rolled back to its savepoint). */
  rewind(checkpoint: SqliteCheckpoint): void {
    this.#head = checkpoint.head && { ...checkpoint.head };
    // What it kept may hold the rolled-back change's own writes.
    this.#kept.clear();
  }

  async lockName(_name: string): Promise<void> {}

  async eventAppended(_id: number): Promise<void> {}
}

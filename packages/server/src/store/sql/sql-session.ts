import type { AuditEntry } from '../store-types.js';
import type { Parameters, Query } from './sql-template.js';

/** The newest event id and audit entry, as the holder of the log lock sees them. */
export interface LogHead {
  eventId: number;
  audit: AuditEntry | undefined;
}

/**
 * One connection's view for a transaction or a read, on either database. The methods of the store
 * are written once against it; what only one database needs (locks across replicas, notifying
 * them of new events) is a hook here.
 */
export interface SqlSession {
  /** True inside `transaction()`: reads lock what they may change. */
  readonly locking: boolean;
  rows<T>(query: Query, parameters?: Parameters): Promise<T[]>;
  one<T>(query: Query, parameters?: Parameters): Promise<T | undefined>;
  /** Runs a write; resolves with the number of rows it changed. */
  run(query: Query, parameters?: Parameters): Promise<number>;
  /**
   * Runs a write whose outcome the caller does not look at (an insert that must succeed). A
   * session may send it without waiting for the answer: its failure then fails the change at the
   * next statement that waits, at the latest when the change ends, and never commits.
   */
  write(query: Query, parameters?: Parameters): Promise<void>;
  /**
   * Serializes the writers of the event stream and the audit chain until commit, so event ids are
   * dense and commit in order and the chain never forks. A session that reads the head of the log
   * with the lock returns it, and the appends advance it; undefined where each append reads it.
   */
  lockLog(): Promise<LogHead | undefined>;
  /** Serializes the transactions that work on `name` (an idempotency key) until commit. */
  lockName(name: string): Promise<void>;
  /** Announces an appended event to the other processes once (and if) the transaction commits. */
  eventAppended(id: number): Promise<void>;
}

import type { Parameters, Query } from './sql-template.js';

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
   * Serializes the writers of the event stream and the audit chain until commit, so event ids are
   * dense and commit in order and the chain never forks.
   */
  lockLog(): Promise<void>;
  /** Serializes the transactions that work on `name` (an idempotency key) until commit. */
  lockName(name: string): Promise<void>;
  /** Announces an appended event to the other processes once (and if) the transaction commits. */
  eventAppended(id: number): Promise<void>;
}

import type { PoolClient } from 'pg';

/** One connection's view for the duration of a transaction or a read. */
export class PgSession {
  readonly #client: PoolClient;
  readonly #schema: string;
  /** True inside `transaction()`: reads lock what they may change, appends take the log lock. */
  readonly locking: boolean;
  /** Event ids appended in this transaction, in order. */
  readonly eventIds: number[] = [];
  #logLocked = false;

  constructor(client: PoolClient, schema: string, locking: boolean) {
    this.#client = client;
    this.#schema = schema;
    this.locking = locking;
  }

  async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.#client.query(sql, params)).rows as T[];
  }

  async one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(sql, params))[0];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.#client.query(sql, params)).rowCount ?? 0;
  }

  /** Takes a transaction-scoped advisory lock named within this store's schema. */
  async advisoryLock(name: string): Promise<void> {
    await this.#client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `${this.#schema}:${name}`,
    ]);
  }

  /**
   * Serializes every writer of the event stream and the audit chain across replicas until commit,
   * so event ids are dense and commit in order, and the chain never forks.
   */
  async lockLog(): Promise<void> {
    if (!this.locking || this.#logLocked) return;
    await this.advisoryLock('log');
    this.#logLocked = true;
  }
}

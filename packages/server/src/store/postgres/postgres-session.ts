import type { PoolClient } from 'pg';
import { POSTGRES } from '../sql/dialect.js';
import type { SqlSession } from '../sql/sql-session.js';
import { bindValues, type Parameters, type Query, render } from '../sql/sql-template.js';

/** One connection's view for the duration of a transaction or a read. */
export class PgSession implements SqlSession {
  readonly #client: PoolClient;
  readonly #schema: string;
  readonly locking: boolean;
  /** Event ids appended in this transaction, in order. */
  readonly eventIds: number[] = [];
  #logLocked = false;

  constructor(client: PoolClient, schema: string, locking: boolean) {
    this.#client = client;
    this.#schema = schema;
    this.locking = locking;
  }

  async #query(query: Query, parameters: Parameters) {
    const rendered = render(query, POSTGRES);
    return this.#client.query(rendered.text, bindValues(rendered, POSTGRES, parameters));
  }

  async rows<T>(query: Query, parameters: Parameters = {}): Promise<T[]> {
    return (await this.#query(query, parameters)).rows as T[];
  }

  async one<T>(query: Query, parameters: Parameters = {}): Promise<T | undefined> {
    return (await this.rows<T>(query, parameters))[0];
  }

  async run(query: Query, parameters: Parameters = {}): Promise<number> {
    return (await this.#query(query, parameters)).rowCount ?? 0;
  }

  /** Takes a transaction-scoped advisory lock named within this store's schema. */
  async lockName(name: string): Promise<void> {
    if (!this.locking) return;
    await this.#client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `${this.#schema}:${name}`,
    ]);
  }

  /** Several replicas append to one stream and one chain: the advisory lock orders them. */
  async lockLog(): Promise<void> {
    if (!this.locking || this.#logLocked) return;
    await this.lockName('log');
    this.#logLocked = true;
  }

  /** Where a change of a batch starts: what {@link rewind} returns to. */
  checkpoint(): { events: number; logLocked: boolean } {
    return { events: this.eventIds.length, logLocked: this.#logLocked };
  }

  /** Forgets what a change rolled back to its savepoint did, its locks included. */
  rewind(checkpoint: { events: number; logLocked: boolean }): void {
    this.eventIds.length = checkpoint.events;
    this.#logLocked = checkpoint.logLocked;
  }

  async eventAppended(id: number): Promise<void> {
    // The batch announces its events with one notification before it commits.
    this.eventIds.push(id);
  }
}

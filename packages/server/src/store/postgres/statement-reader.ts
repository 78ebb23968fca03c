import type pg from 'pg';
import { Pipeline } from './postgres-pipeline.js';

interface Connection {
  client: pg.PoolClient;
  pipeline: Pipeline;
  /** Gives the client back to the pool, once. */
  drop(error?: Error): void;
}

/**
 * One pooled connection kept for reads of a single SELECT, which need no transaction and so can
 * share it: every such read sent during one turn of the event loop leaves in one write and the
 * database answers them in order. A connection that fails is let go; the next read takes another.
 */
export class StatementReader {
  readonly #pool: pg.Pool;
  #current: Promise<Connection> | undefined;
  #closed = false;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** The shared connection's pipeline, connecting first if needed. */
  async pipeline(): Promise<Pipeline> {
    if (this.#closed) throw new Error('The store is closed');
    if (!this.#current) {
      const current = this.#connect();
      this.#current = current;
      current.catch(() => {
        if (this.#current === current) this.#current = undefined;
      });
    }
    return (await this.#current).pipeline;
  }

  async #connect(): Promise<Connection> {
    const client = await this.#pool.connect();
    // Set by now: `pipeline()` stored this call's promise before the connection came.
    const current = this.#current;
    let dropped = false;
    const drop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      if (this.#current === current) this.#current = undefined;
      client.release(error ?? (this.#closed ? undefined : true));
    };
    client.on('error', drop);
    client.once('end', () => drop());
    return { client, pipeline: new Pipeline(client, 'turn'), drop };
  }

  /** Gives the connection back once the reads on it have answered. */
  async close(): Promise<void> {
    this.#closed = true;
    const current = await this.#current?.catch(() => undefined);
    this.#current = undefined;
    if (!current) return;
    await current.client.query('SELECT 1').catch(() => undefined);
    current.drop();
  }
}

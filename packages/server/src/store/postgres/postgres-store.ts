import type { RequestEvent } from '@countersign/core/protocol';
import pg from 'pg';
import { fail } from '../../service/failures.js';
import { GroupCommit, type GroupCommitOptions } from '../group-commit.js';
import type { Store } from '../store-types.js';
import { batchTransaction } from './postgres-batch.js';
import { EventRelay } from './postgres-event-relay.js';
import { startListener } from './postgres-listener.js';
import { migrate, SCHEMA_NAME } from './postgres-migrations.js';
import { readSnapshot } from './postgres-read.js';
import { StatementReader } from './statement-reader.js';

/** Options for {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://USER@HOST:PORT/DATABASE` */
  connectionString: string;
  /** Schema holding the tables, created if missing (default `countersign`). */
  schema?: string;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /**
   * How often to look for other replicas' events when a notification was missed, in ms
   * (default 2000). Notifications normally arrive within milliseconds.
   */
  pollIntervalMs?: number;
  /**
   * LISTEN for other replicas' commits (default true); when false, only the poll notices them.
   */
  notifications?: boolean;
  /** How many concurrent changes share one locked transaction, and how long a batch may stay open. */
  groupCommit?: GroupCommitOptions;
  /** Called with background failures (the event listener and its poll). */
  onError?: (error: unknown) => void;
}

/** A store several server processes can share; it announces the events the others commit. */
export interface PostgresStore extends Store {
  /** Listens to events committed by other processes sharing the database; returns the unsubscribe. */
  listen(listener: (event: RequestEvent) => void): () => void;
}

/** The name of the channel on which a store announces new events to the other replicas. */
export function eventChannel(schema: string): string {
  return `countersign_events_${schema}`.slice(0, 63);
}

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

// BIGINT columns hold ids and millisecond times, all far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Opens (creating and migrating if needed) a PostgreSQL store. Transactions run at READ COMMITTED
 * with row locks on the request they change, an advisory lock around the event stream and audit
 * chain, and `SKIP LOCKED` claims for jobs and webhook messages. Concurrent transactions share one
 * database transaction (group commit, a savepoint for each change that needs one), so the log lock
 * and the commit are paid once per batch; a change that hits a deadlock or serialization failure
 * is retried in a later one. Connections pipeline (see postgres-pipeline.ts), so statements whose
 * answer is not needed at once cost no round trip, and one-SELECT reads share one connection.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema ?? 'countersign';
  if (!SCHEMA_NAME.test(schema)) {
    throw fail('validation_failed', `schema must match ${SCHEMA_NAME}, not "${schema}"`);
  }
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 10) {
    throw fail('validation_failed', 'pollIntervalMs must be at least 10');
  }
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Statements nobody waits for (writes, locks, savepoints) travel with the next one that does.
    pipeline: true,
    options: `-c search_path=${schema}`,
    types,
  });
  pool.on('error', onError);
  const channel = eventChannel(schema);
  let relay: EventRelay;
  try {
    const client = await pool.connect();
    try {
      await migrate(client, schema);
      const { rows } = await client.query<{ id: number }>(
        'SELECT COALESCE(MAX(id), 0) AS id FROM events',
      );
      relay = new EventRelay(pool, rows[0]?.id ?? 0, onError);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const listener = startListener({
    connectionString: options.connectionString,
    channel,
    pollIntervalMs,
    notifications: options.notifications ?? true,
    onSignal: () => relay.poke(),
    onError,
  });
  let closed = false;

  const retryable = (error: unknown, attempt: number) => {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS;
  };

  const batch = { pool, schema, channel, relay };
  const reader = new StatementReader(pool);
  const groupCommit = new GroupCommit((run) => {
    void run(batchTransaction(batch));
  }, options.groupCommit);

  return {
    transaction(fn, options) {
      if (closed) return Promise.reject(new Error('The store is closed'));
      return groupCommit.run(fn, { retry: retryable, background: options?.background === true });
    },
    async read(fn) {
      if (closed) throw new Error('The store is closed');
      return readSnapshot(pool, reader, schema, fn);
    },
    async ping() {
      if (closed) return false;
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    listen: (callback) => relay.listen(callback),
    async close() {
      if (closed) return;
      closed = true;
      await groupCommit.whenIdle();
      await reader.close();
      await listener.stop();
      await relay.close();
      await pool.end();
    },
  };
}

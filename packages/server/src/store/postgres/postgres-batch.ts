import type pg from 'pg';
import type { BatchTransaction } from '../group-commit.js';
import { storeMethods } from '../sql/store-methods.js';
import type { EventRelay, Reservation } from './postgres-event-relay.js';
import { Pipeline } from './postgres-pipeline.js';
import { type Checkpoint, PgSession } from './postgres-session.js';

/** What a batch needs of its store. */
export interface BatchContext {
  pool: pg.Pool;
  schema: string;
  /** Where the batch announces its events to the other replicas. */
  channel: string;
  relay: EventRelay;
}

/**
 * One batch: one connection, one BEGIN…COMMIT, the log lock taken once, and a savepoint for each
 * change that sends a statement before it ends. Everything is pipelined: a change waits only for
 * what it reads, and the batch once more, for COMMIT. A write that fails after its change ended
 * fails a later statement; the batch is then lost, that change alone fails (`culprit`), and the
 * others run again.
 */
export function batchTransaction({ pool, schema, channel, relay }: BatchContext): BatchTransaction {
  let client: pg.PoolClient | undefined;
  let session: PgSession | undefined;
  let methods: ReturnType<typeof storeMethods> | undefined;
  let checkpoint: Checkpoint = { events: 0, head: undefined };
  let begun = 0;
  let broken = false;
  let reservation: Reservation | undefined;
  const live = () => session as PgSession;
  const release = () => {
    client?.release(broken);
    client = undefined;
  };
  return {
    async open() {
      client = await pool.connect();
      session = new PgSession(new Pipeline(client), schema, true);
      methods = storeMethods(session);
      // Its failure fails the first statement that waits.
      session.pipeline.send('BEGIN');
    },
    tx: (callbacks) => ({
      ...(methods as ReturnType<typeof storeMethods>),
      afterCommit: (callback) => callbacks.push(callback),
    }),
    async mark() {
      checkpoint = live().checkpoint();
      live().pipeline.beginChange(begun++);
    },
    async keep() {
      live().pipeline.endChange();
    },
    culprit: () => live().pipeline.culprit(),
    async undo() {
      try {
        if (!(await live().pipeline.undoChange())) return false;
      } catch {
        broken = true;
        return false;
      }
      live().rewind(checkpoint);
      return true;
    },
    async commit() {
      const ids = live().eventIds;
      reservation = relay.reserve(ids);
      const { pipeline } = live();
      try {
        // One notification for the batch: the other replicas read every new event on it.
        if (ids.length > 0)
          pipeline.send('SELECT pg_notify($1, $2)', [channel, String(ids.at(-1))]);
        const result = await pipeline.query('COMMIT');
        // A transaction that failed somewhere answers COMMIT with ROLLBACK.
        if (result.command !== 'COMMIT') throw new Error('The batch transaction was rolled back');
        await pipeline.confirm();
      } catch (error) {
        if (reservation) relay.cancel(reservation);
        throw error;
      }
      release();
    },
    async durable(callbacks) {
      // Local listeners hear of these events only after every earlier id, from any replica.
      if (reservation) relay.committed(reservation, callbacks);
      else for (const callback of callbacks) callback();
    },
    async rollback() {
      if (!client) return;
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      release();
    },
  };
}

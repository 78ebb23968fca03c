import type pg from 'pg';
import type { BatchTransaction } from '../group-commit.js';
import { storeMethods } from '../sql/store-methods.js';
import type { EventRelay, Reservation } from './postgres-event-relay.js';
import { type Checkpoint, PgSession, type Sent } from './postgres-session.js';

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
 * change but the first (which, failing, rolls the still-empty transaction back and begins again).
 * BEGIN, savepoints, locks and writes are pipelined: a change waits only for what it reads, and
 * the batch once more, for COMMIT. A write that fails after its change ended fails a later
 * statement; the batch is then lost, that change alone fails, and the others run again.
 */
export function batchTransaction({ pool, schema, channel, relay }: BatchContext): BatchTransaction {
  let client: pg.PoolClient | undefined;
  let session = undefined as unknown as PgSession;
  let methods: ReturnType<typeof storeMethods> | undefined;
  let checkpoint: Checkpoint = { events: 0, head: undefined };
  let kept = 0;
  let begun = 0;
  let savepoint: Sent | undefined;
  let broken = false;
  let reservation: Reservation | undefined;
  const release = () => {
    client?.release(broken);
    client = undefined;
  };
  return {
    async open() {
      client = await pool.connect();
      session = new PgSession(client, schema, true);
      methods = storeMethods(session);
      // Its failure fails the first statement that waits.
      session.send('BEGIN');
    },
    tx: (callbacks) => ({
      ...(methods as ReturnType<typeof storeMethods>),
      afterCommit: (callback) => callbacks.push(callback),
    }),
    async mark() {
      checkpoint = session.checkpoint();
      session.owner = begun++;
      savepoint = kept > 0 ? session.send('SAVEPOINT change') : undefined;
    },
    async keep() {
      // Its writes may still be on their way: a failure fails a later statement, and `culprit`.
      if (savepoint) session.send('RELEASE SAVEPOINT change');
      kept++;
    },
    culprit: () => session.culprit(),
    async undo() {
      try {
        if (savepoint) {
          // Without its own savepoint, the rollback would undo the changes before it.
          await savepoint.done;
          if (savepoint.failed) throw savepoint.failed.error;
          await (client as pg.PoolClient).query('ROLLBACK TO SAVEPOINT change');
          session.rewind(checkpoint);
          session.send('RELEASE SAVEPOINT change');
        } else {
          await (client as pg.PoolClient).query('ROLLBACK');
          session.rewind(checkpoint);
          const owner = session.owner;
          session.owner = undefined;
          session.send('BEGIN');
          session.owner = owner;
        }
      } catch {
        broken = true;
        return false;
      }
      return true;
    },
    async commit() {
      const ids = session.eventIds;
      reservation = relay.reserve(ids);
      session.owner = undefined;
      try {
        // One notification for the batch: the other replicas read every new event on it.
        if (ids.length > 0) session.send('SELECT pg_notify($1, $2)', [channel, String(ids.at(-1))]);
        const result = await session.query('COMMIT');
        // A transaction that failed somewhere answers COMMIT with ROLLBACK.
        if (result.command !== 'COMMIT') throw new Error('The batch transaction was rolled back');
        await session.confirm();
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

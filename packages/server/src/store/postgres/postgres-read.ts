import type pg from 'pg';
import { storeMethods } from '../sql/store-methods.js';
import type { StoreTx } from '../store-types.js';
import { Pipeline } from './postgres-pipeline.js';
import { PgSession } from './postgres-session.js';
import type { StatementReader } from './statement-reader.js';

const readOnly = (session: PgSession): StoreTx => ({
  ...storeMethods(session),
  afterCommit: () => {
    throw new Error('read() cannot register afterCommit callbacks');
  },
});

/**
 * Runs `fn` on one snapshot, read only. Most reads are one SELECT, which sees one snapshot by
 * itself: `fn` first runs without a transaction, on the connection the reader shares (one
 * statement instead of three, and one write for many reads), and one that sends a second
 * statement, or a write, runs again from the start inside REPEATABLE READ READ ONLY on a
 * connection of its own. Running it twice is safe because a read changes nothing.
 */
export async function readSnapshot<T>(
  pool: pg.Pool,
  reader: StatementReader,
  schema: string,
  fn: (tx: StoreTx) => Promise<T>,
): Promise<T> {
  const alone = new PgSession(await reader.pipeline(), schema, false, true);
  try {
    const result = await fn(readOnly(alone));
    if (!alone.outgrown) return result;
  } catch (error) {
    if (!alone.outgrown) throw error;
  }
  const client = await pool.connect();
  const session = new PgSession(new Pipeline(client), schema, false);
  session.pipeline.send('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let result: T;
  try {
    result = await fn(readOnly(session));
    await session.pipeline.confirm();
  } catch (error) {
    let broken = false;
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    client.release(broken);
    throw error;
  }
  // It only read: the answer need not wait for its COMMIT, the connection's next user does.
  const commit = session.pipeline.send('COMMIT');
  void commit.done.then(() => client.release(commit.failed !== undefined));
  return result;
}

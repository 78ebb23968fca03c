import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { postgresTestUrl } from '../../test-support/postgres.js';
import { StatementReader } from './statement-reader.js';

describe('the shared connection for one-statement reads', () => {
  it('answers reads sent together in order, and takes a new connection when its own is lost', async () => {
    const pool = new pg.Pool({ connectionString: postgresTestUrl(), max: 2, pipeline: true });
    const admin = new pg.Client({ connectionString: postgresTestUrl() });
    await admin.connect();
    const reader = new StatementReader(pool);
    const pid = async () =>
      Number((await (await reader.pipeline()).query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    try {
      const pipeline = await reader.pipeline();
      const answers = await Promise.all(
        [1, 2, 3].map((n) => pipeline.query('SELECT $1::int AS n', [n])),
      );
      expect(answers.map((answer) => answer.rows[0].n)).toEqual([1, 2, 3]);
      const lost = await pid();
      await admin.query('SELECT pg_terminate_backend($1)', [lost]);
      await vi.waitFor(async () => expect(await pid()).not.toBe(lost), { timeout: 5000 });
    } finally {
      await reader.close();
      await admin.end();
      await pool.end();
    }
  });
});

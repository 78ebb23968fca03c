import pg from 'pg';
import { describeGroupCommitContract } from '../../test-support/group-commit-contract.js';
import {
  dropSchema,
  openTestPostgresStore,
  postgresTestUrl,
  testSchema,
} from '../../test-support/postgres.js';

describeGroupCommitContract('PostgreSQL', async (groupCommit) => {
  const schema = testSchema();
  const store = await openTestPostgresStore(schema, { groupCommit });
  // A connection of its own sees only what the store committed.
  const observer = new pg.Client({ connectionString: postgresTestUrl() });
  await observer.connect();
  return {
    store,
    async committedRequests() {
      const { rows } = await observer.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM ${schema}.requests`,
      );
      return Number(rows[0]?.n);
    },
    async dispose() {
      await observer.end();
      await store.close();
      await dropSchema(schema);
    },
  };
});

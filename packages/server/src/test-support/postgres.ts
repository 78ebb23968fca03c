import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  openPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from '../store/postgres/postgres-store.js';

/** The test database URL; throws (so PostgreSQL tests fail, never skip) when it is not set. */
export function postgresTestUrl(): string {
  const url = process.env.COUNTERSIGN_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      'COUNTERSIGN_TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)',
    );
  }
  return url;
}

/** A fresh random schema name for one test. */
export function testSchema(): string {
  return `cs_test_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Opens a store on a new random schema of the test database. */
export async function openTestPostgresStore(
  schema = testSchema(),
  options: Partial<PostgresStoreOptions> = {},
): Promise<PostgresStore> {
  return openPostgresStore({ connectionString: postgresTestUrl(), schema, ...options });
}

/** A store on a fresh schema and its disposal (closes it, drops the schema): a `StoreFactory`. */
export async function freshPostgresStore(): Promise<{
  store: PostgresStore;
  dispose(): Promise<void>;
}> {
  const schema = testSchema();
  const store = await openTestPostgresStore(schema);
  return {
    store,
    async dispose() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

import type { PoolClient } from 'pg';
import { POSTGRES } from '../sql/dialect.js';
import { MIGRATIONS } from '../sql/schema.js';
import { type Query, render } from '../sql/sql-template.js';

/** A PostgreSQL schema name we accept (it is interpolated into SQL, so it is checked strictly). */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates the schema if needed and brings it up to date in one transaction, under an advisory lock
 * so replicas starting together migrate once.
 */
export async function migrate(client: PoolClient, schema: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${schema}:migrate`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_version (version INTEGER NOT NULL)`,
    );
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_version`,
    );
    const current = rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `The database schema (version ${current}) is newer than this server (${MIGRATIONS.length})`,
      );
    }
    await client.query(`SET LOCAL search_path TO ${schema}`);
    for (let version = current; version < MIGRATIONS.length; version++) {
      await client.query(render(MIGRATIONS[version] as Query, POSTGRES).text);
    }
    await client.query('DELETE FROM schema_version');
    await client.query('INSERT INTO schema_version (version) VALUES ($1)', [MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

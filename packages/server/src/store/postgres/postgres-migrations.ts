import type { PoolClient } from 'pg';

// Each entry moves the schema one version forward; never edit a shipped entry, append a new one.
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE requests (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    kind TEXT NOT NULL,
    requester TEXT NOT NULL,
    assignees JSONB NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX requests_status ON requests(status, seq);
  CREATE INDEX requests_requester ON requests(requester, seq);
  CREATE TABLE idempotency (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    request_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (principal, key)
  );
  CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    request_id TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX events_request ON events(request_id, id);
  CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    at TEXT COLLATE "C" NOT NULL,
    type TEXT NOT NULL,
    request_id TEXT,
    actor TEXT,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_request ON audit(request_id, seq);
  CREATE TABLE jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    done BOOLEAN NOT NULL DEFAULT false
  );
  CREATE INDEX jobs_due ON jobs(done, due_at);
  CREATE INDEX jobs_request ON jobs(request_id);
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    webhook_id TEXT,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    last_error TEXT
  );
  CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    groups TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // Idempotency keys are purged by age after their retention period.
  'CREATE INDEX idempotency_created ON idempotency(created_at);',
];

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
      await client.query(MIGRATIONS[version] as string);
    }
    await client.query('DELETE FROM schema_version');
    await client.query('INSERT INTO schema_version (version) VALUES ($1)', [MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

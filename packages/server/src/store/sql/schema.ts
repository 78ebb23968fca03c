import { columnType } from './dialect.js';
import { type Query, sql } from './sql-template.js';

const key = columnType('generatedKey');
const bigint = columnType('bigint');
const boolean = columnType('boolean');

// Each entry moves the schema one version forward; never edit a shipped entry, append a new one.
// Written once: the column types that differ come from the dialect.
export const MIGRATIONS: readonly Query[] = [
  sql`
  CREATE TABLE requests (
    seq ${key},
    id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    kind TEXT NOT NULL,
    requester TEXT NOT NULL,
    assignees ${columnType('jsonArray')} NOT NULL,
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
    id ${columnType('eventKey')},
    request_id TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX events_request ON events(request_id, id);
  CREATE TABLE audit (
    seq ${bigint} PRIMARY KEY,
    at TEXT${columnType('bytewise')} NOT NULL,
    type TEXT NOT NULL,
    request_id TEXT,
    actor TEXT,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_request ON audit(request_id, seq);
  CREATE TABLE jobs (
    id ${key},
    request_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    due_at ${bigint} NOT NULL,
    done ${boolean} NOT NULL DEFAULT ${columnType('false')}
  );
  CREATE INDEX jobs_due ON jobs(done, due_at);
  CREATE INDEX jobs_request ON jobs(request_id);
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    enabled ${boolean} NOT NULL,
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
    next_attempt_at ${bigint} NOT NULL,
    created_at ${bigint} NOT NULL,
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
  sql`CREATE INDEX idempotency_created ON idempotency(created_at);`,
  // Grants: uses and revocation are columns, so using one is a single conditional UPDATE;
  // tool_name (NULL for a glob) lets a create skip the grants for other tools in the query.
  sql`
  CREATE TABLE grants (
    seq ${key},
    id TEXT NOT NULL UNIQUE,
    granted_by TEXT NOT NULL,
    tool_name TEXT,
    assignees ${columnType('jsonArray')} NOT NULL,
    agent TEXT,
    run_id TEXT,
    expires_at TEXT${columnType('bytewise')} NOT NULL,
    max_uses INTEGER,
    uses INTEGER NOT NULL,
    revoked_at TEXT,
    doc TEXT NOT NULL
  );
  CREATE INDEX grants_live ON grants(expires_at);
  CREATE INDEX grants_agent ON grants(agent, seq);
  `,
  // The people directory: reviewers' keys belong to a user, and notifications find them here.
  sql`
  CREATE TABLE users (
    name TEXT PRIMARY KEY,
    display_name TEXT,
    email TEXT,
    slack_user_id TEXT,
    groups ${columnType('jsonArray')} NOT NULL,
    active ${boolean} NOT NULL,
    notifications TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX users_email ON users(lower(email));
  CREATE UNIQUE INDEX users_slack ON users(slack_user_id);
  `,
  // Notifications share the webhook outbox; a request's rows are listed for its timeline. Signed
  // decision links are single-use: a used link's nonce is kept.
  sql`
  ALTER TABLE outbox ADD COLUMN request_id TEXT;
  CREATE INDEX outbox_request ON outbox(request_id, created_at);
  CREATE TABLE used_links (
    nonce TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    used_at TEXT NOT NULL
  );
  `,
  // Reviewer sign-in with OpenID Connect: server-side sessions (by the SHA-256 of their token) and
  // the short-lived, single-use state of sign-ins in progress.
  sql`
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    role TEXT NOT NULL,
    groups TEXT NOT NULL,
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at ${bigint} NOT NULL,
    last_seen_at ${bigint} NOT NULL,
    expires_at ${bigint} NOT NULL,
    ended_at ${bigint}
  );
  CREATE INDEX sessions_user ON sessions(user_name);
  CREATE TABLE sign_in_attempts (
    state TEXT PRIMARY KEY,
    code_verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    return_to TEXT NOT NULL,
    created_at ${bigint} NOT NULL
  );
  CREATE INDEX sign_in_attempts_created ON sign_in_attempts(created_at);
  `,
  // The Slack messages posted about each request, so every one can be updated with the outcome.
  sql`
  CREATE TABLE slack_messages (
    request_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    posted_at ${bigint} NOT NULL,
    shown_version INTEGER NOT NULL,
    PRIMARY KEY (request_id, recipient)
  );
  `,
  // Receipt signing keys (private halves encrypted) and the one-time consumption of receipts.
  sql`
  CREATE TABLE signing_keys (
    seq ${key},
    id TEXT NOT NULL UNIQUE,
    public_jwk TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE receipt_uses (
    receipt_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    consumer TEXT NOT NULL,
    consumed_at TEXT NOT NULL
  );
  `,
  // Central policies: every pushed version, the active and shadow pointers, emergency stops and
  // what gates report of shadow versions.
  sql`
  CREATE TABLE policy_versions (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    file TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL,
    request_id TEXT,
    PRIMARY KEY (name, version)
  );
  CREATE TABLE policies (
    name TEXT PRIMARY KEY,
    active_version INTEGER,
    shadow_version INTEGER,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE stops (scope TEXT PRIMARY KEY, reason TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL);
  CREATE TABLE shadow_reports (
    name TEXT NOT NULL,
    active_version INTEGER NOT NULL,
    shadow_version INTEGER NOT NULL,
    disagreements ${bigint} NOT NULL,
    evaluations ${bigint} NOT NULL,
    samples TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (name, active_version, shadow_version)
  );
  `,
  // A request's pending jobs (deleted by a decision, a cancel, a new deadline) are found through
  // its own rows: with only jobs(request_id) beside jobs(done, due_at), SQLite took the latter for
  // `request_id = ? AND done = FALSE` and read every pending job of every request.
  sql`
  CREATE INDEX jobs_request_pending ON jobs(request_id, done);
  DROP INDEX jobs_request;
  `,
];

import {
  booleanParameter,
  forUpdate,
  inList,
  jsonArrayHasAny,
  nextEventId,
  skipLocked,
} from './dialect.js';
import { sql } from './sql-template.js';

// Every fixed statement of the store, written once for SQLite and PostgreSQL. Where they differ
// (placeholders, locks, list parameters, booleans) a part from dialect.ts says so; the filtered
// lists are built in list-queries.ts.

export const REQUESTS = {
  get: sql`SELECT doc FROM requests WHERE id = :id`,
  // Inside a transaction the row stays locked until commit, so concurrent deciders queue.
  getForUpdate: sql`SELECT doc, version FROM requests WHERE id = :id${forUpdate}`,
  insert: sql`INSERT INTO requests (id, status, kind, requester, assignees, version, doc)
    VALUES (:id, :status, :kind, :requester, :assignees, :version, :doc)`,
  update: sql`UPDATE requests SET status = :status, assignees = :assignees, version = :version,
    doc = :doc WHERE id = :id AND version = :previousVersion`,
  docs: sql`SELECT doc FROM requests WHERE ${inList('seq', 'seqs')} ORDER BY seq DESC`,
};

/**
 * A request read with `getForUpdate` stays locked at the version read until commit, so an update
 * from that version changes exactly that row: a session may send it without waiting for the count.
 */
export const LOCKED_REQUEST = { read: REQUESTS.getForUpdate, update: REQUESTS.update };

export const IDEMPOTENCY = {
  find: sql`SELECT body_hash, request_id FROM idempotency WHERE principal = :principal AND key = :key`,
  save: sql`INSERT INTO idempotency (principal, key, body_hash, request_id, created_at)
    VALUES (:principal, :key, :bodyHash, :requestId, :createdAt)`,
  // Replicas purging at once take different rows instead of waiting on each other.
  purge: sql`DELETE FROM idempotency WHERE (principal, key) IN (
    SELECT principal, key FROM idempotency WHERE created_at < :before
    ORDER BY created_at LIMIT :limit${skipLocked})`,
};

export const EVENTS = {
  // Numbered by the store under the log lock, so ids commit in order.
  nextId: sql`SELECT ${nextEventId} AS id`,
  latestId: sql`SELECT COALESCE(MAX(id), 0) AS id FROM events`,
  insert: sql`INSERT INTO events (id, request_id, doc) VALUES (:id, :requestId, :doc)`,
  after: sql`SELECT doc FROM events WHERE id > :afterId ORDER BY id LIMIT :limit`,
  afterForRequest: sql`SELECT doc FROM events WHERE request_id = :requestId AND id > :afterId
    ORDER BY id LIMIT :limit`,
};

export const AUDIT = {
  last: sql`SELECT * FROM audit ORDER BY seq DESC LIMIT 1`,
  // The head of both logs in one statement, read once the log lock is held.
  head: sql`SELECT (SELECT COALESCE(MAX(id), 0) FROM events) AS event_id, last.*
    FROM (SELECT 1) AS one LEFT JOIN (SELECT * FROM audit ORDER BY seq DESC LIMIT 1) AS last
    ON TRUE`,
  insert: sql`INSERT INTO audit (seq, at, type, request_id, actor, data, prev_hash, hash)
    VALUES (:seq, :at, :type, :requestId, :actor, :data, :prevHash, :hash)`,
};

export const JOBS = {
  deletePending: sql`DELETE FROM jobs WHERE request_id = :requestId AND ${inList('kind', 'kinds')}
    AND done = FALSE`,
  deleteAllPending: sql`DELETE FROM jobs WHERE request_id = :requestId AND done = FALSE`,
  insert: sql`INSERT INTO jobs (request_id, kind, due_at) VALUES (:requestId, :kind, :dueAt)`,
  // Another replica's claim is skipped, so each job fires once.
  claimDue: sql`SELECT id, request_id, kind, due_at FROM jobs WHERE done = FALSE AND due_at <= :now
    ORDER BY due_at, id LIMIT 1${skipLocked}`,
  markDone: sql`UPDATE jobs SET done = TRUE WHERE id = :id`,
  nextDue: sql`SELECT MIN(due_at) AS due FROM jobs WHERE done = FALSE`,
};

export const OUTBOX = {
  insert: sql`INSERT INTO outbox (id, webhook_id, url, secret, event_type, body, attempts,
    next_attempt_at, created_at, status, last_error, request_id) VALUES (:id, :webhookId, :url,
    :secret, :eventType, :body, :attempts, :nextAttemptAt, :createdAt, :status, :lastError,
    :requestId)`,
  // Each message is leased to one worker; ties on time go by id, the same on every database.
  claimDue: sql`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= :now
    ORDER BY next_attempt_at, id LIMIT :limit${skipLocked}`,
  claimDueWebhooks: sql`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= :now
    AND url NOT LIKE 'notify:%' ORDER BY next_attempt_at, id LIMIT :limit${skipLocked}`,
  claimDueNotifications: sql`SELECT * FROM outbox WHERE status = 'pending'
    AND next_attempt_at <= :now AND url LIKE 'notify:%' ORDER BY next_attempt_at, id
    LIMIT :limit${skipLocked}`,
  // An exact prefix: LIKE would read `_` in a channel name as a wildcard (and ignore case on SQLite).
  claimDueWithPrefix: sql`SELECT * FROM outbox WHERE status = 'pending'
    AND next_attempt_at <= :now AND substr(url, 1, CAST(:prefixLength AS INTEGER)) = :prefix
    ORDER BY next_attempt_at, id LIMIT :limit${skipLocked}`,
  lease: sql`UPDATE outbox SET next_attempt_at = :leaseUntil WHERE ${inList('id', 'ids')}`,
  update: sql`UPDATE outbox SET attempts = :attempts, next_attempt_at = :nextAttemptAt,
    status = :status, last_error = :lastError WHERE id = :id`,
  disableFor: sql`UPDATE outbox SET status = 'disabled' WHERE webhook_id = :webhookId
    AND status = 'pending'`,
  list: sql`SELECT * FROM outbox ORDER BY created_at, id LIMIT :limit`,
  forRequest: sql`SELECT * FROM outbox WHERE request_id = :requestId AND url LIKE :prefix
    ORDER BY created_at, id LIMIT :limit`,
  byStatus: sql`SELECT * FROM outbox WHERE status = :status AND url LIKE :prefix
    ORDER BY created_at DESC, id DESC LIMIT :limit`,
  sentTo: sql`SELECT id FROM outbox WHERE request_id = :requestId AND url = :url LIMIT 1`,
};

export const USED_LINKS = {
  // A second use of the same link changes no row.
  claim: sql`INSERT INTO used_links (nonce, request_id, used_at) VALUES (:nonce, :requestId, :at)
    ON CONFLICT (nonce) DO NOTHING`,
  release: sql`DELETE FROM used_links WHERE nonce = :nonce`,
  get: sql`SELECT used_at FROM used_links WHERE nonce = :nonce`,
};

export const WEBHOOKS = {
  insert: sql`INSERT INTO webhooks (id, url, secret, events, enabled, created_at)
    VALUES (:id, :url, :secret, :events, ${booleanParameter('enabled')}, :createdAt)`,
  list: sql`SELECT * FROM webhooks ORDER BY created_at, id`,
  get: sql`SELECT * FROM webhooks WHERE id = :id`,
  setEnabled: sql`UPDATE webhooks SET enabled = ${booleanParameter('enabled')} WHERE id = :id`,
  delete: sql`DELETE FROM webhooks WHERE id = :id`,
};

export const API_KEYS = {
  insert: sql`INSERT INTO api_keys (id, name, role, groups, hash, created_at, revoked_at)
    VALUES (:id, :name, :role, :groups, :hash, :createdAt, :revokedAt)`,
  get: sql`SELECT * FROM api_keys WHERE id = :id`,
  // The user's columns prefixed with user_, so they do not shadow the key's name and groups; the
  // key's named, not k.*, so that PostgreSQL may keep the statement prepared (statement-names.ts).
  getWithUser: sql`SELECT k.id, k.name, k.role, k.groups, k.hash, k.created_at, k.revoked_at,
    u.name AS user_name, u.display_name AS user_display_name,
    u.email AS user_email, u.slack_user_id AS user_slack_user_id, u.groups AS user_groups,
    u.active AS user_active, u.notifications AS user_notifications,
    u.created_at AS user_created_at, u.updated_at AS user_updated_at
    FROM api_keys AS k LEFT JOIN users AS u ON u.name = k.name AND k.role <> 'agent'
    WHERE k.id = :id`,
  list: sql`SELECT * FROM api_keys ORDER BY created_at, id`,
  revoke: sql`UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL`,
};

const USER_COLUMNS = sql`name, display_name, email, slack_user_id, groups, active, notifications,
  created_at, updated_at`;

export const USERS = {
  get: sql`SELECT ${USER_COLUMNS} FROM users WHERE name = :name`,
  byEmail: sql`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower(:email)`,
  bySlackId: sql`SELECT ${USER_COLUMNS} FROM users WHERE slack_user_id = :slackUserId`,
  list: sql`SELECT ${USER_COLUMNS} FROM users WHERE name > :after ORDER BY name LIMIT :limit`,
  listByState: sql`SELECT ${USER_COLUMNS} FROM users WHERE name > :after
    AND active = ${booleanParameter('active')} ORDER BY name LIMIT :limit`,
  activeMembers: sql`SELECT ${USER_COLUMNS} FROM users WHERE active = TRUE
    AND ${jsonArrayHasAny('groups', 'groups')} ORDER BY name`,
  insert: sql`INSERT INTO users (name, display_name, email, slack_user_id, groups, active,
    notifications, created_at, updated_at) VALUES (:name, :displayName, :email, :slackUserId,
    :groups, ${booleanParameter('active')}, :notifications, :createdAt, :updatedAt)`,
  update: sql`UPDATE users SET display_name = :displayName, email = :email,
    slack_user_id = :slackUserId, groups = :groups, active = ${booleanParameter('active')},
    notifications = :notifications, updated_at = :updatedAt WHERE name = :name`,
};

export const SETTINGS = {
  get: sql`SELECT value FROM settings WHERE name = :name`,
  set: sql`INSERT INTO settings (name, value) VALUES (:name, :value)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
};

// A grant is usable while not revoked, not expired and not out of uses; taking a use re-checks
// all three in the UPDATE itself, so two calls racing for the last use cannot both get it.
export const GRANTS = {
  insert: sql`INSERT INTO grants (id, granted_by, tool_name, assignees, agent, run_id, expires_at,
    max_uses, uses, revoked_at, doc) VALUES (:id, :grantedBy, :toolName, :assignees, :agent,
    :runId, :expiresAt, :maxUses, :uses, :revokedAt, :doc)`,
  get: sql`SELECT doc, uses, revoked_at FROM grants WHERE id = :id`,
  liveFor: sql`SELECT doc, uses, revoked_at FROM grants WHERE revoked_at IS NULL
    AND expires_at > :now AND (max_uses IS NULL OR uses < max_uses)
    AND (agent IS NULL OR agent = :agent) AND (run_id IS NULL OR run_id = :runId)
    AND (tool_name IS NULL OR tool_name = :toolName) ORDER BY seq LIMIT :limit`,
  use: sql`UPDATE grants SET uses = uses + 1 WHERE id = :id AND revoked_at IS NULL
    AND expires_at > :now AND (max_uses IS NULL OR uses < max_uses) RETURNING uses`,
  revoke: sql`UPDATE grants SET revoked_at = :revokedAt, doc = :doc WHERE id = :id
    AND revoked_at IS NULL`,
};

export const SESSIONS = {
  insert: sql`INSERT INTO sessions (id, user_name, role, groups, kind, csrf_token, created_at,
    last_seen_at, expires_at, ended_at) VALUES (:id, :userName, :role, :groups, :kind, :csrfToken,
    :createdAt, :lastSeenAt, :expiresAt, NULL)`,
  get: sql`SELECT * FROM sessions WHERE id = :id`,
  touch: sql`UPDATE sessions SET last_seen_at = :at WHERE id = :id AND last_seen_at < :at`,
  end: sql`UPDATE sessions SET ended_at = :at WHERE id = :id AND ended_at IS NULL`,
  purgeOf: sql`DELETE FROM sessions WHERE user_name = :userName
    AND (expires_at < :before OR ended_at < :before)`,
};

export const SIGN_IN_ATTEMPTS = {
  insert: sql`INSERT INTO sign_in_attempts (state, code_verifier, nonce, return_to, created_at)
    VALUES (:state, :codeVerifier, :nonce, :returnTo, :createdAt)`,
  get: sql`SELECT * FROM sign_in_attempts WHERE state = :state`,
  // Deleting is the claim: of two callbacks with the same state only one deletes the row.
  delete: sql`DELETE FROM sign_in_attempts WHERE state = :state`,
  purge: sql`DELETE FROM sign_in_attempts WHERE created_at < :before`,
};

export const SIGNING_KEYS = {
  insert: sql`INSERT INTO signing_keys (id, public_jwk, private_key, created_at)
    VALUES (:id, :publicJwk, :privateKey, :createdAt)`,
  list: sql`SELECT id, public_jwk, private_key, created_at FROM signing_keys ORDER BY seq DESC`,
  newest: sql`SELECT id FROM signing_keys ORDER BY seq DESC LIMIT 1`,
};

export const RECEIPT_USES = {
  // The first consumer wins; the others read who it was.
  claim: sql`INSERT INTO receipt_uses (receipt_id, request_id, consumer, consumed_at)
    VALUES (:receiptId, :requestId, :consumer, :consumedAt) ON CONFLICT (receipt_id) DO NOTHING`,
  get: sql`SELECT receipt_id, request_id, consumer, consumed_at FROM receipt_uses
    WHERE receipt_id = :receiptId`,
};

// Read at metrics scrape time; `requests_status` serves the first two.
export const BACKLOG = {
  pendingCount: sql`SELECT COUNT(*) AS count FROM requests WHERE status = 'pending'`,
  oldestPending: sql`SELECT doc FROM requests WHERE status = 'pending' ORDER BY seq LIMIT 1`,
  outbox: sql`SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM outbox
    WHERE status = 'pending'`,
};

export const POLICY_VERSIONS = {
  insert: sql`INSERT INTO policy_versions (name, version, text, file, author, created_at, state,
    request_id) VALUES (:name, :version, :text, :file, :author, :createdAt, :state, :requestId)`,
  get: sql`SELECT * FROM policy_versions WHERE name = :name AND version = :version`,
  list: sql`SELECT * FROM policy_versions WHERE name = :name ORDER BY version`,
  latest: sql`SELECT MAX(version) AS version FROM policy_versions WHERE name = :name`,
  // Only a proposed version changes state, once: replicas racing to settle it cannot both win.
  setState: sql`UPDATE policy_versions SET state = :state WHERE name = :name
    AND version = :version AND state = 'proposed'`,
};

export const POLICIES = {
  get: sql`SELECT * FROM policies WHERE name = :name`,
  list: sql`SELECT * FROM policies ORDER BY name`,
  save: sql`INSERT INTO policies (name, active_version, shadow_version, updated_at)
    VALUES (:name, :activeVersion, :shadowVersion, :updatedAt)
    ON CONFLICT (name) DO UPDATE SET active_version = excluded.active_version,
    shadow_version = excluded.shadow_version, updated_at = excluded.updated_at`,
};

export const STOPS = {
  list: sql`SELECT scope, reason, actor, at FROM stops ORDER BY scope`,
  save: sql`INSERT INTO stops (scope, reason, actor, at) VALUES (:scope, :reason, :actor, :at)
    ON CONFLICT (scope) DO UPDATE SET reason = excluded.reason, actor = excluded.actor,
    at = excluded.at`,
  delete: sql`DELETE FROM stops WHERE scope = :scope`,
};

/**
 * Tables every write of which holds the log lock (the PostgreSQL session takes it before any of
 * these writes), so a holder of the lock may keep what it read of them until it commits: no other
 * transaction can change them meanwhile. The reads take no parameters.
 */
export const LOG_LOCKED = {
  reads: new Set([STOPS.list, WEBHOOKS.list, SIGNING_KEYS.newest]),
  writes: new Set([
    STOPS.save,
    STOPS.delete,
    WEBHOOKS.insert,
    WEBHOOKS.setEnabled,
    WEBHOOKS.delete,
    SIGNING_KEYS.insert,
  ]),
};

export const SHADOW_REPORTS = {
  get: sql`SELECT * FROM shadow_reports WHERE name = :name AND active_version = :activeVersion
    AND shadow_version = :shadowVersion`,
  list: sql`SELECT * FROM shadow_reports WHERE name = :name ORDER BY updated_at DESC`,
  save: sql`INSERT INTO shadow_reports (name, active_version, shadow_version, disagreements,
    evaluations, samples, updated_at) VALUES (:name, :activeVersion, :shadowVersion,
    :disagreements, :evaluations, :samples, :updatedAt)
    ON CONFLICT (name, active_version, shadow_version) DO UPDATE SET
    disagreements = excluded.disagreements, evaluations = excluded.evaluations,
    samples = excluded.samples, updated_at = excluded.updated_at`,
};

import type {
  ApiKeyRecord,
  AuditEntry,
  OutboxMessage,
  Role,
  StoreTx,
  UserRecord,
  WebhookRecord,
} from './store-types.js';

// Row shapes and their mappers, shared by the SQLite and PostgreSQL stores: both use the same
// column names, so one definition keeps the two stores from drifting apart.

/** The request and idempotency methods of a store. */
export type RequestMethods = Pick<
  StoreTx,
  | 'getRequest'
  | 'insertRequest'
  | 'updateRequest'
  | 'listRequests'
  | 'findIdempotency'
  | 'saveIdempotency'
  | 'purgeIdempotency'
>;

/** The event-stream and audit-chain methods of a store. */
export type LogMethods = Pick<
  StoreTx,
  'appendEvent' | 'listEvents' | 'latestEventId' | 'lastAudit' | 'appendAudit' | 'listAudit'
>;

/** The scheduler-job and webhook-outbox methods of a store. */
export type WorkMethods = Pick<
  StoreTx,
  | 'replaceJobs'
  | 'clearJobs'
  | 'claimDueJob'
  | 'nextJobDue'
  | 'enqueueOutbox'
  | 'claimDueOutbox'
  | 'updateOutbox'
  | 'disableOutboxFor'
  | 'listOutbox'
  | 'listRequestOutbox'
  | 'listOutboxByStatus'
  | 'outboxSentTo'
  | 'claimLink'
  | 'linkUsedAt'
  | 'releaseLink'
  | 'backlog'
>;

/** The grant methods of a store. */
export type GrantMethods = Pick<
  StoreTx,
  'insertGrant' | 'getGrant' | 'listGrants' | 'liveGrantsFor' | 'useGrant' | 'revokeGrant'
>;

/** The webhook, API-key and settings methods of a store. */
export type AdminMethods = Pick<
  StoreTx,
  | 'insertWebhook'
  | 'listWebhooks'
  | 'getWebhook'
  | 'setWebhookEnabled'
  | 'deleteWebhook'
  | 'insertApiKey'
  | 'getApiKey'
  | 'getApiKeyWithUser'
  | 'listApiKeys'
  | 'revokeApiKey'
  | 'getSetting'
  | 'setSetting'
>;

/** The people-directory methods of a store. */
export type UserMethods = Pick<
  StoreTx,
  | 'getUser'
  | 'findUserByEmail'
  | 'findUserBySlackId'
  | 'listUsers'
  | 'listActiveMembers'
  | 'insertUser'
  | 'updateUser'
>;

export interface AuditRow {
  seq: number;
  at: string;
  type: string;
  request_id: string | null;
  actor: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    type: row.type,
    requestId: row.request_id,
    actor: row.actor,
    data: JSON.parse(row.data) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface OutboxRow {
  id: string;
  webhook_id: string | null;
  url: string;
  secret: string;
  event_type: string;
  body: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  status: OutboxMessage['status'];
  last_error: string | null;
  request_id: string | null;
}

export function toOutboxMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    url: row.url,
    secret: row.secret,
    eventType: row.event_type,
    body: row.body,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    status: row.status,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
  };
}

export interface WebhookRow {
  id: string;
  url: string;
  secret: string;
  events: string;
  /** SQLite stores booleans as 0/1; PostgreSQL as booleans. */
  enabled: number | boolean;
  created_at: string;
}

export const toWebhook = (row: WebhookRow): WebhookRecord => ({
  id: row.id,
  url: row.url,
  secret: row.secret,
  events: JSON.parse(row.events) as string[],
  enabled: row.enabled === true || row.enabled === 1,
  createdAt: row.created_at,
});

export interface KeyRow {
  id: string;
  name: string;
  role: Role;
  groups: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
}

export const toKey = (row: KeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  groups: JSON.parse(row.groups) as string[],
  hash: row.hash,
  createdAt: row.created_at,
  ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
});

export interface UserRow {
  name: string;
  display_name: string | null;
  email: string | null;
  slack_user_id: string | null;
  /** JSON text on SQLite; parsed JSONB on PostgreSQL. */
  groups: string | string[];
  active: number | boolean;
  notifications: string;
  created_at: string;
  updated_at: string;
}

export const toUser = (row: UserRow): UserRecord => ({
  name: row.name,
  ...(row.display_name === null ? {} : { displayName: row.display_name }),
  ...(row.email === null ? {} : { email: row.email }),
  ...(row.slack_user_id === null ? {} : { slackUserId: row.slack_user_id }),
  groups: typeof row.groups === 'string' ? (JSON.parse(row.groups) as string[]) : row.groups,
  active: row.active === true || row.active === 1,
  notifications: JSON.parse(row.notifications) as UserRecord['notifications'],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A user's columns as the insert and update statements bind them. */
export const userColumns = (user: UserRecord) => ({
  name: user.name,
  displayName: user.displayName ?? null,
  email: user.email ?? null,
  slackUserId: user.slackUserId ?? null,
  groups: JSON.stringify(user.groups),
  active: user.active,
  notifications: JSON.stringify(user.notifications),
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
});
/** The central-policy, emergency-stop and shadow-report methods of a store. */
export type PolicyMethods = Pick<
  StoreTx,
  | 'insertPolicyVersion'
  | 'getPolicyVersion'
  | 'listPolicyVersions'
  | 'latestPolicyVersion'
  | 'setPolicyVersionState'
  | 'getPolicyHead'
  | 'listPolicyHeads'
  | 'savePolicyHead'
  | 'listStops'
  | 'saveStop'
  | 'deleteStop'
  | 'getShadowReport'
  | 'listShadowReports'
  | 'saveShadowReport'
>;

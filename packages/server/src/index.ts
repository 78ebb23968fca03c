export {
  type AuditVerification,
  GENESIS_HASH,
  hashAuditEntry,
  verifyAuditChain,
} from './audit/audit-chain.js';
export { createApiKey, hashKey, type NewKeyOptions, ROLES, verifyApiKey } from './auth/api-keys.js';
export { type Principal, principalFor } from './auth/principal.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { type AppOptions, type CountersignApp, createApp } from './http/app.js';
export type { LimitOptions } from './http/request-limits.js';
export { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
export { type RunningServer, type ServerOptions, startServer } from './server.js';
export { EventBus } from './service/event-bus.js';
export {
  openPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from './store/postgres/postgres-store.js';
export { openSqliteStore, type SqliteStoreOptions } from './store/sqlite-store.js';
export type {
  ApiKeyRecord,
  AuditEntry,
  Role,
  Store,
  StoreTx,
  WebhookRecord,
} from './store/store-types.js';
export { OutboxWorker, type OutboxWorkerOptions } from './webhooks/outbox-worker.js';
export { newWebhookSecret, signWebhook } from './webhooks/signer.js';

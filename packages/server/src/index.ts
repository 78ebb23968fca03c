export {
  type AuditVerification,
  GENESIS_HASH,
  hashAuditEntry,
  verifyAuditChain,
} from './audit/audit-chain.js';
export { createApiKey, hashKey, type NewKeyOptions, ROLES, verifyApiKey } from './auth/api-keys.js';
export type { ReviewerAuth } from './auth/authenticator.js';
export {
  discoverIdentityProvider,
  type IdentityProvider,
  type OidcOptions,
} from './auth/oidc/identity-provider.js';
export { type Principal, principalFor, userPrincipal } from './auth/principal.js';
export { type KeyResolution, resolveKey } from './auth/resolve-principal.js';
export { DEFAULT_SESSION_SETTINGS, type SessionSettings } from './auth/sessions.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export {
  type LoadServerConfigOptions,
  loadServerConfig,
  optionFlags,
} from './config/load-server-config.js';
export { printConfig } from './config/print-config.js';
export type { ConfigSources, ResolvedServerConfig } from './config/resolve-server-config.js';
export { type ConfigIssue, ServerConfigError } from './config/server-config-error.js';
export { type ServerConfig, serverConfigSchema } from './config/server-options.js';
export {
  type AppOptions,
  type CountersignApp,
  createApp,
  type ServerContext,
} from './http/app.js';
export type { LimitOptions } from './http/request-limits.js';
export { type EmailChannelOptions, emailChannel } from './notify/email/email-channel.js';
export {
  type Notification,
  type NotificationChannel,
  type NotificationDelivery,
  type NotificationKind,
  type NotificationLinks,
  PermanentDeliveryError,
} from './notify/notification-types.js';
export { type DecisionLinkMode, Notifier, type NotifierOptions } from './notify/notifier.js';
export {
  activeGroupMembers,
  addUser,
  disableUser,
  expandAssignees,
  findUser,
  findUserByEmail,
  findUserBySlackId,
  type UserPatch,
  updateUser,
  upsertUser,
  userId,
} from './people/user-directory.js';
export type { UserFields } from './people/user-validation.js';
export type { SchedulerOptions } from './scheduler/scheduler.js';
export {
  type BackgroundWorker,
  type RunningServer,
  type ServerOptions,
  startServer,
  type WebhookWorker,
} from './server.js';
export { EventBus } from './service/event-bus.js';
export { DEFAULT_INPUT_LIMITS, type InputLimits } from './service/input-limits.js';
export type { SlackOptions } from './slack/slack-options.js';
export { checkSlackSignature, slackSignature } from './slack/slack-signature.js';
export {
  openPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from './store/postgres/postgres-store.js';
export { openSqliteStore, type SqliteStoreOptions } from './store/sqlite-store.js';
export type {
  ApiKeyRecord,
  AuditEntry,
  NotificationSettings,
  Role,
  Store,
  StoreTx,
  UserQuery,
  UserRecord,
  WebhookRecord,
} from './store/store-types.js';
export type { HostResolver } from './webhooks/callback-addresses.js';
export type { OutboxWorkerOptions } from './webhooks/outbox-worker.js';
export { newWebhookSecret, signWebhook } from './webhooks/signer.js';

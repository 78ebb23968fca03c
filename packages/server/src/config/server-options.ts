import type { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../observability/logger.js';
import {
  DEFAULT_IDEMPOTENCY_RETENTION_MS,
  MIN_IDEMPOTENCY_RETENTION_MS,
} from '../scheduler/scheduler.js';
import {
  slackApiUrlType,
  slackBotTokenType,
  slackChannelType,
  slackSigningSecretType,
} from '../slack/slack-option-types.js';
import { type ConfigOf, option, treeSchema } from './option-tree.js';
import {
  assigneeListType,
  booleanType,
  choiceType,
  durationType,
  hostListType,
  integerType,
  portType,
  postgresUrlType,
  rateType,
  secretTextType,
  textListType,
  textType,
  tokenType,
  urlType,
} from './option-types.js';

/**
 * Every option of `countersign serve`, declared once: the flag parser, the environment, the config
 * file, `--print-config`, `startServer`'s checks and the README's options table all come from
 * here. Keys and nesting are those of `startServer`'s options. Adding an option is one entry
 * (and its property, with TSDoc, in `AppOptions` or `ServerOptions`).
 */
export const SERVER_OPTIONS = {
  port: option({
    type: portType,
    default: 8787,
    flag: 'port',
    env: 'COUNTERSIGN_PORT',
    description: 'Port to listen on; 0 picks a free one.',
  }),
  host: option({
    type: textType('host'),
    default: '127.0.0.1',
    flag: 'host',
    env: 'COUNTERSIGN_HOST',
    description: 'Interface to bind; `0.0.0.0` or `::` to accept connections from other machines.',
  }),
  dbPath: option({
    type: textType('path'),
    defaultText: '`./countersign.db`',
    flag: 'db',
    env: 'COUNTERSIGN_DB',
    description: 'SQLite file, created on first start. Not together with `databaseUrl`.',
  }),
  databaseUrl: option({
    type: postgresUrlType,
    flag: 'database-url',
    env: 'COUNTERSIGN_DATABASE_URL',
    secret: true,
    description:
      'PostgreSQL database instead of the SQLite file, so several replicas can share it. The password is masked in output.',
  }),
  databaseSchema: option({
    type: textType('name'),
    defaultText: '`countersign`',
    flag: 'schema',
    env: 'COUNTERSIGN_DATABASE_SCHEMA',
    description: 'PostgreSQL schema, created and migrated on open; needs `databaseUrl`.',
  }),
  callbackHosts: option({
    type: hostListType,
    defaultText: 'any host',
    flag: 'callback-hosts',
    env: 'COUNTERSIGN_CALLBACK_HOSTS',
    description:
      'Hosts per-request callback URLs may point at: `host`, `host:port` or `*.domain`, comma separated in a flag or variable. Unset allows any http(s) URL (see "Callback URL allow-list").',
  }),
  allowLinkLocalCallbacks: option({
    type: booleanType,
    default: false,
    flag: 'allow-link-local-callbacks',
    env: 'COUNTERSIGN_ALLOW_LINK_LOCAL_CALLBACKS',
    description:
      'Let per-request callbacks reach link-local and cloud metadata addresses (`169.254.0.0/16`, `fe80::/10`, `fd00:ec2::254`), refused by default at create and at delivery.',
  }),
  bodyLimitBytes: option({
    type: integerType(1024),
    default: 1024 * 1024,
    flag: 'body-limit-bytes',
    env: 'COUNTERSIGN_BODY_LIMIT_BYTES',
    description: 'Largest accepted request body; larger ones are a 413.',
  }),
  listPageMaxBytes: option({
    type: integerType(65_536),
    default: 4 * 1024 * 1024,
    flag: 'list-page-max-bytes',
    env: 'COUNTERSIGN_LIST_PAGE_MAX_BYTES',
    description:
      'Largest JSON body of one `GET /v1/requests` page; the page ends early with a `nextCursor` (see "List page size in bytes").',
  }),
  maxGrantLifetimeMs: option({
    type: durationType({ min: 1000, examples: '24h or 7d' }),
    default: 24 * 3_600_000,
    flag: 'max-grant-lifetime',
    env: 'COUNTERSIGN_MAX_GRANT_LIFETIME',
    description:
      'Longest lifetime of a grant ("approve, and allow calls like this for a while"); a grant asking for longer is refused (see "Grants").',
  }),
  keepAliveMs: option({
    type: durationType({ min: 50, examples: '15s' }),
    default: 15_000,
    flag: 'keep-alive',
    env: 'COUNTERSIGN_KEEP_ALIVE',
    description: 'Time between keep-alive comments on event streams.',
  }),
  inputLimits: {
    maxJsonDepth: option({
      type: integerType(8),
      default: 64,
      flag: 'max-json-depth',
      env: 'COUNTERSIGN_MAX_JSON_DEPTH',
      description:
        'Deepest nesting of objects and arrays in a body (the body is level 1); deeper is a 400.',
    }),
    maxJsonEntries: option({
      type: integerType(100),
      default: 10_000,
      flag: 'max-json-entries',
      env: 'COUNTERSIGN_MAX_JSON_ENTRIES',
      description:
        'Most object keys plus array items in one body, over every level; more is a 413.',
    }),
    maxStringLength: option({
      type: integerType(1024),
      default: 256 * 1024,
      flag: 'max-string-length',
      env: 'COUNTERSIGN_MAX_STRING_LENGTH',
      description: 'Longest string value or object key, in UTF-16 code units; longer is a 413.',
    }),
    maxSchemaBytes: option({
      type: integerType(1024),
      default: 64 * 1024,
      flag: 'max-schema-bytes',
      env: 'COUNTERSIGN_MAX_SCHEMA_BYTES',
      description:
        'Largest `tool.schema` or `responseSchema`, in bytes of its JSON; larger is a 413.',
    }),
    maxSchemaExpansion: option({
      type: integerType(100),
      default: 10_000,
      flag: 'max-schema-expansion',
      env: 'COUNTERSIGN_MAX_SCHEMA_EXPANSION',
      description:
        'Most subschemas a JSON Schema may stand for once every `$ref` is followed; more is a 400 at create.',
    }),
    schemaCheckTimeoutMs: option({
      type: durationType({ min: 10, examples: '1s or 500ms' }),
      default: 1000,
      flag: 'schema-check-timeout',
      env: 'COUNTERSIGN_SCHEMA_CHECK_TIMEOUT',
      description:
        'Longest one JSON Schema check may run on its worker thread, off the event loop; past it the input is refused.',
    }),
  },
  limits: {
    keyRequestsPerSecond: option({
      type: rateType,
      default: 1_000,
      flag: 'key-rate-limit',
      env: 'COUNTERSIGN_KEY_RATE_LIMIT',
      description:
        'Requests per second one API key may make on average; more is a 429 with `Retry-After`.',
    }),
    keyRequestBurst: option({
      type: integerType(1),
      default: 10_000,
      flag: 'key-rate-burst',
      env: 'COUNTERSIGN_KEY_RATE_BURST',
      description: 'Requests one API key may make at once above its average rate.',
    }),
    unauthenticatedRequestsPerSecond: option({
      type: rateType,
      default: 20,
      flag: 'unauthenticated-rate-limit',
      env: 'COUNTERSIGN_UNAUTHENTICATED_RATE_LIMIT',
      description:
        'Failed authentications per second one client address may make on `/v1` and `/api`; more is a 429 instead of a 401.',
    }),
    unauthenticatedRequestBurst: option({
      type: integerType(1),
      default: 200,
      flag: 'unauthenticated-rate-burst',
      env: 'COUNTERSIGN_UNAUTHENTICATED_RATE_BURST',
      description: 'Failed authentications one client address may make at once.',
    }),
    maxConcurrentWaitsPerKey: option({
      type: integerType(1),
      default: 1_000,
      flag: 'max-waits-per-key',
      env: 'COUNTERSIGN_MAX_WAITS_PER_KEY',
      description:
        'Long-polls and SSE streams one API key may hold open at once; the next is a 429.',
    }),
    keyRecheckMs: option({
      type: durationType({ min: 10, examples: '5s' }),
      default: 5_000,
      flag: 'key-recheck-interval',
      env: 'COUNTERSIGN_KEY_RECHECK_INTERVAL',
      description:
        'How often the keys holding open waits are re-read, so a key revoked on another replica or offline loses them.',
    }),
  },
  receipts: {
    ttlMs: option({
      type: durationType({ min: 1_000, minText: '1s', examples: '5m or 1h' }),
      default: 600_000,
      flag: 'receipt-ttl',
      env: 'COUNTERSIGN_RECEIPT_TTL',
      description:
        'How long a signed decision receipt stays valid after the approval (its `exp`); keep it short.',
    }),
    signingKeySecret: option({
      type: secretTextType(32),
      flag: 'signing-key-secret',
      env: 'COUNTERSIGN_SIGNING_KEY_SECRET',
      secret: true,
      description:
        'Encrypts the receipt signing keys in the database (AES-256-GCM, at least 32 characters). Unset: a random secret per process, so keys sign only while it runs.',
    }),
    signingKeySecretFile: option({
      type: textType('path'),
      flag: 'signing-key-secret-file',
      env: 'COUNTERSIGN_SIGNING_KEY_SECRET_FILE',
      description:
        'A file holding `signingKeySecret` (trailing newline ignored), for secrets mounted as files.',
    }),
  },
  dashboardDir: option({
    type: textType('path'),
    defaultText: 'the bundled dashboard',
    flag: 'dashboard-dir',
    env: 'COUNTERSIGN_DASHBOARD_DIR',
    description: 'Folder of a dashboard build to serve at `/`.',
  }),
  scheduler: {
    pollIntervalMs: option({
      type: durationType({ min: 10, examples: '250ms or 1s' }),
      default: 250,
      flag: 'scheduler-poll-interval',
      env: 'COUNTERSIGN_SCHEDULER_POLL_INTERVAL',
      description:
        'How often the scheduler looks for due deadlines, reminders and escalations (a timer also fires the next one on time).',
    }),
    idempotencyRetentionMs: option({
      type: durationType({
        min: MIN_IDEMPOTENCY_RETENTION_MS,
        minText: '24h',
        examples: '36h or 7d',
      }),
      default: DEFAULT_IDEMPOTENCY_RETENTION_MS,
      flag: 'idempotency-retention',
      env: 'COUNTERSIGN_IDEMPOTENCY_RETENTION',
      description:
        'How long an `Idempotency-Key` replays its request (see "Idempotency key retention"); at least 24h.',
    }),
  },
  outbox: {
    pollIntervalMs: option({
      type: durationType({ min: 1, examples: '500ms or 1s' }),
      default: 500,
      flag: 'webhook-poll-interval',
      env: 'COUNTERSIGN_WEBHOOK_POLL_INTERVAL',
      description: 'How often the webhook worker looks for due deliveries.',
    }),
    baseDelayMs: option({
      type: durationType({ min: 1, examples: '5s' }),
      default: 5_000,
      flag: 'webhook-retry-delay',
      env: 'COUNTERSIGN_WEBHOOK_RETRY_DELAY',
      description:
        'First retry delay of a failed webhook delivery; doubles per attempt, with jitter.',
    }),
    maxDelayMs: option({
      type: durationType({ min: 1, examples: '1h' }),
      default: 3_600_000,
      flag: 'webhook-max-retry-delay',
      env: 'COUNTERSIGN_WEBHOOK_MAX_RETRY_DELAY',
      description: 'Longest retry delay; at least the first one.',
    }),
    giveUpAfterMs: option({
      type: durationType({ min: 1, examples: '25h' }),
      default: 25 * 3_600_000,
      flag: 'webhook-give-up-after',
      env: 'COUNTERSIGN_WEBHOOK_GIVE_UP_AFTER',
      description: 'Age at which a delivery that keeps failing is marked `failed`.',
    }),
    requestTimeoutMs: option({
      type: durationType({ min: 1, examples: '10s' }),
      default: 10_000,
      flag: 'webhook-timeout',
      env: 'COUNTERSIGN_WEBHOOK_TIMEOUT',
      description: 'Timeout of one delivery attempt.',
    }),
    concurrency: option({
      type: integerType(1),
      default: 50,
      flag: 'webhook-concurrency',
      env: 'COUNTERSIGN_WEBHOOK_CONCURRENCY',
      description:
        'Delivery attempts in flight at once for webhooks, and for each notification channel; more are claimed as attempts end.',
    }),
  },
  publicUrl: option({
    type: urlType(['http', 'https']),
    defaultText: 'the address the server listens on',
    flag: 'public-url',
    env: 'COUNTERSIGN_PUBLIC_URL',
    description:
      'The base of every link in every message (the dashboard, decision links) and of the OpenID Connect redirect URI (`PUBLIC_URL/auth/oidc/callback`), e.g. `https://countersign.example.com`.',
  }),
  smtpUrl: option({
    type: urlType(['smtp', 'smtps']),
    flag: 'smtp-url',
    env: 'COUNTERSIGN_SMTP_URL',
    secret: true,
    description:
      'Turns on email notifications through this relay, e.g. `smtp://user:pass@smtp.example.com:587` (STARTTLS when offered; `smtps://` for TLS from the start). Checked at start. The password is masked in output.',
  }),
  mailFrom: option({
    type: textType('address'),
    defaultText: '`Countersign <countersign@HOST>`',
    flag: 'mail-from',
    env: 'COUNTERSIGN_MAIL_FROM',
    description: 'The From of notification emails, e.g. `Countersign <approvals@example.com>`.',
  }),
  decisionLinks: option({
    type: choiceType(['decide', 'sign-in'] as const),
    default: 'decide' as const,
    flag: 'decision-links',
    env: 'COUNTERSIGN_DECISION_LINKS',
    description:
      'What the links in messages open: `decide`, a signed confirmation page that decides without signing in; `sign-in`, the dashboard.',
  }),
  linkSecret: option({
    type: textType('secret'),
    defaultText: 'made once and kept in the database',
    flag: 'link-secret',
    env: 'COUNTERSIGN_LINK_SECRET',
    secret: true,
    description: 'The key (at least 32 characters) that signs decision links; replicas share it.',
  }),
  reviewerAuth: option({
    type: choiceType(['key', 'oidc', 'both'] as const),
    defaultText: '`key`; `both` when `oidc.issuer` is set',
    flag: 'reviewer-auth',
    env: 'COUNTERSIGN_REVIEWER_AUTH',
    description:
      'How reviewers sign in: `key` (API keys), `oidc` (the identity provider only: reviewer keys are refused) or `both`. Admin and agent keys work either way.',
  }),
  oidc: {
    issuer: option({
      type: urlType(['http', 'https']),
      flag: 'oidc-issuer',
      env: 'COUNTERSIGN_OIDC_ISSUER',
      description:
        'OpenID Connect issuer URL; turns on "Sign in with" the provider (see "Signing in with OpenID Connect"). Discovered at start: an unreachable issuer fails the start.',
    }),
    clientId: option({
      type: textType('client id'),
      flag: 'oidc-client-id',
      env: 'COUNTERSIGN_OIDC_CLIENT_ID',
      description: 'The client id registered at the provider for the dashboard.',
    }),
    clientSecret: option({
      type: textType('secret'),
      flag: 'oidc-client-secret',
      env: 'COUNTERSIGN_OIDC_CLIENT_SECRET',
      secret: true,
      description: 'The client secret of `oidc.clientId` (leave out for a public client).',
    }),
    cliClientId: option({
      type: textType('client id'),
      flag: 'oidc-cli-client-id',
      env: 'COUNTERSIGN_OIDC_CLI_CLIENT_ID',
      defaultText: '`oidc.clientId`',
      description:
        'A public client (no secret, device authorization grant allowed) that `countersign login` uses; ID tokens for it are accepted too.',
    }),
    providerName: option({
      type: textType('name'),
      flag: 'oidc-provider-name',
      env: 'COUNTERSIGN_OIDC_PROVIDER_NAME',
      defaultText: 'the issuer host',
      description: 'The name on the dashboard button, "Sign in with NAME".',
    }),
    groupsClaim: option({
      type: textType('claim path'),
      default: 'groups',
      flag: 'oidc-groups-claim',
      env: 'COUNTERSIGN_OIDC_GROUPS_CLAIM',
      description:
        "The ID token claim with the user's groups; dots reach into objects (`realm_access.roles`).",
    }),
    usernameClaim: option({
      type: textType('claim path'),
      flag: 'oidc-username-claim',
      env: 'COUNTERSIGN_OIDC_USERNAME_CLAIM',
      defaultText: 'the local part of `email`',
      description:
        'The claim `user:NAME` comes from (such as `preferred_username`). A name already held by another email is refused.',
    }),
    allowedEmailDomains: option({
      type: textListType('domains'),
      flag: 'oidc-allowed-domains',
      env: 'COUNTERSIGN_OIDC_ALLOWED_DOMAINS',
      defaultText: 'any domain',
      description: 'Email domains that may sign in (comma separated); others are refused.',
    }),
    allowedGroups: option({
      type: textListType('groups'),
      flag: 'oidc-allowed-groups',
      env: 'COUNTERSIGN_OIDC_ALLOWED_GROUPS',
      defaultText: 'any group',
      description:
        'Groups of which a user must be in at least one to sign in (comma separated); others are refused.',
    }),
    adminGroup: option({
      type: textType('group'),
      flag: 'oidc-admin-group',
      env: 'COUNTERSIGN_OIDC_ADMIN_GROUP',
      description: 'Members of this provider group sign in as admins; everyone else as reviewers.',
    }),
    scopes: option({
      type: textType('scopes'),
      default: 'openid email profile',
      flag: 'oidc-scopes',
      env: 'COUNTERSIGN_OIDC_SCOPES',
      description:
        'The scopes asked for, space separated; add the one that puts groups in the ID token where the provider needs it (`groups` at Okta).',
    }),
  },
  sessions: {
    idleTimeoutMs: option({
      type: durationType({ min: 60_000, examples: '30m or 1h' }),
      default: 30 * 60_000,
      flag: 'session-idle-timeout',
      env: 'COUNTERSIGN_SESSION_IDLE_TIMEOUT',
      description: 'A signed-in session without a request for this long ends.',
    }),
    absoluteTimeoutMs: option({
      type: durationType({ min: 60_000, examples: '12h' }),
      default: 12 * 3_600_000,
      flag: 'session-absolute-timeout',
      env: 'COUNTERSIGN_SESSION_ABSOLUTE_TIMEOUT',
      description: 'A signed-in session ends this long after sign-in, however active.',
    }),
    cliTimeoutMs: option({
      type: durationType({ min: 60_000, examples: '8h' }),
      default: 8 * 3_600_000,
      flag: 'cli-token-lifetime',
      env: 'COUNTERSIGN_CLI_TOKEN_LIFETIME',
      description: 'How long a token from `countersign login` lasts.',
    }),
  },
  slack: {
    botToken: option({
      type: slackBotTokenType,
      flag: 'slack-bot-token',
      env: 'COUNTERSIGN_SLACK_BOT_TOKEN',
      secret: true,
      description:
        'Bot token of your Slack app; turns Slack on: requests are posted to their assignees and channels with Approve and Reject buttons (see "Slack"). Needs `slack.signingSecret`.',
    }),
    signingSecret: option({
      type: slackSigningSecretType,
      flag: 'slack-signing-secret',
      env: 'COUNTERSIGN_SLACK_SIGNING_SECRET',
      secret: true,
      description:
        'Signing secret of your Slack app; `POST /integrations/slack/interactions` refuses every request not signed with it.',
    }),
    defaultChannel: option({
      type: slackChannelType,
      flag: 'slack-default-channel',
      env: 'COUNTERSIGN_SLACK_DEFAULT_CHANNEL',
      description:
        "Channel (`#name` or id) that gets every new request too, beside the assignees' DMs and the policy's `slack:` targets.",
    }),
    apiUrl: option({
      type: slackApiUrlType,
      default: 'https://slack.com/api/',
      flag: 'slack-api-url',
      env: 'COUNTERSIGN_SLACK_API_URL',
      description: 'Base URL of the Slack Web API; change it only for a proxy or a local stand-in.',
    }),
  },
  logLevel: option({
    type: choiceType(LOG_LEVELS),
    default: 'info' as LogLevel,
    flag: 'log-level',
    env: 'COUNTERSIGN_LOG_LEVEL',
    description:
      'Least severe level of the JSON log lines on stderr: `trace`, `debug`, `info` (one line per HTTP request), `warn`, `error`, `fatal` or `silent` (see "Operating Countersign").',
  }),
  metrics: {
    port: option({
      type: portType,
      defaultText: 'off',
      flag: 'metrics-port',
      env: 'COUNTERSIGN_METRICS_PORT',
      description:
        'Serve `GET /metrics` (Prometheus) on this separate port, bound to `metrics.host`; no key needed there.',
    }),
    host: option({
      type: textType('host'),
      default: '127.0.0.1',
      flag: 'metrics-host',
      env: 'COUNTERSIGN_METRICS_HOST',
      description: 'Interface of the metrics port; keep it on loopback or a private network.',
    }),
    token: option({
      type: tokenType(16),
      defaultText: 'off',
      flag: 'metrics-token',
      env: 'COUNTERSIGN_METRICS_TOKEN',
      secret: true,
      description:
        'Serve `GET /metrics` on the API port too, to `Authorization: Bearer <token>` only (at least 16 characters).',
    }),
  },
  policyApproval: {
    required: option({
      type: booleanType,
      default: false,
      flag: 'policy-approval',
      env: 'COUNTERSIGN_POLICY_APPROVAL',
      description:
        'A `policy push` opens a review request showing the diff; the new version becomes active only once it is approved.',
    }),
    assignees: option({
      type: assigneeListType,
      default: [],
      flag: 'policy-approval-assignees',
      env: 'COUNTERSIGN_POLICY_APPROVAL_ASSIGNEES',
      description: 'Who may approve a policy push, e.g. `group:security`; empty: any reviewer.',
    }),
    quorum: option({
      type: integerType(1),
      default: 1,
      flag: 'policy-approval-quorum',
      env: 'COUNTERSIGN_POLICY_APPROVAL_QUORUM',
      description: 'How many distinct approvals a policy push needs.',
    }),
  },
  groupCommit: {
    maxBatch: option({
      type: integerType(1),
      default: 64,
      flag: 'group-commit-max-batch',
      env: 'COUNTERSIGN_GROUP_COMMIT_MAX_BATCH',
      description:
        'Most concurrent state changes that share one database commit (see "Group commit"); 1 commits each alone.',
    }),
    maxWaitMs: option({
      type: durationType({ min: 0, minText: '0ms', examples: '2ms or 10ms' }),
      default: 2,
      flag: 'group-commit-max-wait',
      env: 'COUNTERSIGN_GROUP_COMMIT_MAX_WAIT',
      description:
        'Longest time a commit batch stays open for changes arriving meanwhile; a lone change never waits for it.',
    }),
    backgroundWaitMs: option({
      type: durationType({ min: 0, minText: '0ms', examples: '10ms or 50ms' }),
      default: 10,
      flag: 'group-commit-background-wait',
      env: 'COUNTERSIGN_GROUP_COMMIT_BACKGROUND_WAIT',
      description:
        'Longest time outbox bookkeeping waits to share the commit of other changes before it commits alone.',
    }),
  },
};

/** The effective configuration of `countersign serve`, as `startServer` accepts it. */
export type ServerConfig = ConfigOf<typeof SERVER_OPTIONS>;

/** A rule across options: `check` returns a problem or undefined. */
export interface ConfigRule {
  /** The option the problem is reported on. */
  option: string;
  /** `name(key)` is how the message names an option: as the source of its value spells it. */
  check(config: ServerConfig, name: (key: string) => string): string | undefined;
}

/** The rules across options. */
export const SERVER_CONFIG_RULES: readonly ConfigRule[] = [
  {
    option: 'databaseUrl',
    check: (config, name) =>
      config.dbPath !== undefined && config.databaseUrl !== undefined
        ? `Give either ${name('dbPath')} or ${name('databaseUrl')}, not both`
        : undefined,
  },
  {
    option: 'databaseSchema',
    check: (config, name) =>
      config.databaseSchema !== undefined && config.databaseUrl === undefined
        ? `${name('databaseSchema')} needs ${name('databaseUrl')}`
        : undefined,
  },
  {
    option: 'slack.signingSecret',
    check: ({ slack }, name) => {
      if (slack.botToken !== undefined && slack.signingSecret === undefined) {
        return `${name('slack.signingSecret')} is missing: ${name('slack.botToken')} turns Slack on, and interactions cannot be verified without the signing secret`;
      }
      if (slack.botToken === undefined && slack.signingSecret !== undefined) {
        return `${name('slack.signingSecret')} needs ${name('slack.botToken')}`;
      }
      return undefined;
    },
  },
  {
    option: 'receipts.signingKeySecretFile',
    check: (config, name) =>
      config.receipts.signingKeySecret !== undefined &&
      config.receipts.signingKeySecretFile !== undefined
        ? `Give either ${name('receipts.signingKeySecret')} or ${name('receipts.signingKeySecretFile')}, not both`
        : undefined,
  },
  {
    option: 'outbox.maxDelayMs',
    check: (config, name) =>
      config.outbox.maxDelayMs < config.outbox.baseDelayMs
        ? `${name('outbox.maxDelayMs')} must be at least ${name('outbox.baseDelayMs')}`
        : undefined,
  },
  {
    option: 'oidc.issuer',
    check: (config, name) => {
      const { oidc } = config;
      if (oidc.issuer === undefined) {
        const set = (['clientId', 'clientSecret', 'cliClientId', 'adminGroup'] as const).find(
          (key) => oidc[key] !== undefined,
        );
        if (set) return `${name(`oidc.${set}`)} needs ${name('oidc.issuer')}`;
        return config.reviewerAuth && config.reviewerAuth !== 'key'
          ? `${name('reviewerAuth')} ${config.reviewerAuth} needs ${name('oidc.issuer')}`
          : undefined;
      }
      if (oidc.clientId === undefined)
        return `${name('oidc.issuer')} needs ${name('oidc.clientId')}`;
      if (config.publicUrl === undefined) {
        return `${name('oidc.issuer')} needs ${name('publicUrl')} (the redirect URI is PUBLIC_URL/auth/oidc/callback)`;
      }
      return undefined;
    },
  },
  {
    option: 'publicUrl',
    check: (config, name) => {
      if (config.oidc.issuer === undefined || config.publicUrl === undefined) return undefined;
      const url = new URL(config.publicUrl);
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
      return url.protocol === 'http:' && !loopback
        ? `${name('publicUrl')} must be https:// for OpenID Connect sign-in (plain http only on a loopback address)`
        : undefined;
    },
  },
  {
    option: 'sessions.absoluteTimeoutMs',
    check: (config, name) =>
      config.sessions.absoluteTimeoutMs < config.sessions.idleTimeoutMs
        ? `${name('sessions.absoluteTimeoutMs')} must be at least ${name('sessions.idleTimeoutMs')}`
        : undefined,
  },
];

/**
 * The zod schema of a whole configuration object (as a config file holds it): unknown keys are
 * refused, durations may be written `7d`, absent options take their defaults. Applies the rules
 * across options too.
 */
export const serverConfigSchema: z.ZodType<ServerConfig> = treeSchema(
  SERVER_OPTIONS,
  true,
).superRefine((config, context) => {
  for (const rule of SERVER_CONFIG_RULES) {
    const message = rule.check(config as ServerConfig, (key) => key);
    if (message) context.addIssue({ code: 'custom', message, path: rule.option.split('.') });
  }
}) as z.ZodType<ServerConfig>;

import type { z } from 'zod';
import {
  DEFAULT_IDEMPOTENCY_RETENTION_MS,
  MIN_IDEMPOTENCY_RETENTION_MS,
} from '../scheduler/scheduler.js';
import { type ConfigOf, option, treeSchema } from './option-tree.js';
import {
  booleanType,
  durationType,
  hostListType,
  integerType,
  portType,
  postgresUrlType,
  rateType,
  textType,
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
    option: 'outbox.maxDelayMs',
    check: (config, name) =>
      config.outbox.maxDelayMs < config.outbox.baseDelayMs
        ? `${name('outbox.maxDelayMs')} must be at least ${name('outbox.baseDelayMs')}`
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

import { CountersignError } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import type { ServerOptions } from '../server.js';
import { type ConfigInputs, resolveServerConfig } from './resolve-server-config.js';
import { ServerConfigError } from './server-config-error.js';
import { serverConfigSchema } from './server-options.js';

const file = (content: unknown) => ({ name: 'countersign.server.yaml', content });

/** The message of the error `inputs` are refused with. */
function problem(inputs: ConfigInputs): string {
  try {
    resolveServerConfig(inputs);
  } catch (error) {
    expect(ServerConfigError.isInstance(error)).toBe(true);
    return (error as ServerConfigError).message;
  }
  throw new Error('the configuration was accepted');
}

describe('server configuration from flags, environment and file', () => {
  it('has a default for every option that needs one, and no value for the others', () => {
    const { config, sources } = resolveServerConfig({});
    expect(config).toEqual({
      port: 8787,
      host: '127.0.0.1',
      allowLinkLocalCallbacks: false,
      bodyLimitBytes: 1_048_576,
      inputLimits: {
        maxJsonDepth: 64,
        maxJsonEntries: 10_000,
        maxStringLength: 262_144,
        maxSchemaBytes: 65_536,
        maxSchemaExpansion: 10_000,
        schemaCheckTimeoutMs: 1000,
      },
      listPageMaxBytes: 4 * 1_048_576,
      maxGrantLifetimeMs: 24 * 3_600_000,
      limits: {
        keyRequestsPerSecond: 1000,
        keyRequestBurst: 10_000,
        unauthenticatedRequestsPerSecond: 20,
        unauthenticatedRequestBurst: 200,
        maxConcurrentWaitsPerKey: 1000,
        keyRecheckMs: 5000,
      },
      keepAliveMs: 15_000,
      receipts: { ttlMs: 600_000 },
      scheduler: { pollIntervalMs: 250, idempotencyRetentionMs: 7 * 86_400_000 },
      outbox: {
        pollIntervalMs: 500,
        baseDelayMs: 5_000,
        maxDelayMs: 3_600_000,
        giveUpAfterMs: 25 * 3_600_000,
        requestTimeoutMs: 10_000,
        concurrency: 50,
      },
      decisionLinks: 'decide',
      oidc: { groupsClaim: 'groups', scopes: 'openid email profile' },
      sessions: {
        idleTimeoutMs: 30 * 60_000,
        absoluteTimeoutMs: 12 * 3_600_000,
        cliTimeoutMs: 8 * 3_600_000,
      },
      slack: { apiUrl: 'https://slack.com/api/' },
      logLevel: 'info',
      metrics: { host: '127.0.0.1' },
      policyApproval: { required: false, assignees: [], quorum: 1 },
      groupCommit: { maxBatch: 64, maxWaitMs: 2, backgroundWaitMs: 10 },
    });
    expect(new Set(Object.values(sources))).toEqual(new Set(['default']));
    // The effective configuration is what startServer takes, and the exported schema agrees.
    const options: ServerOptions = config;
    expect(serverConfigSchema.parse({})).toEqual(options);
  });

  it('takes a flag over its variable, the variable over the file, the file over the default', () => {
    const all = {
      flags: { port: '1001' },
      env: { COUNTERSIGN_PORT: '1002', COUNTERSIGN_HOST: '::1' },
      file: file({ port: 1003, host: '0.0.0.0', keepAliveMs: '20s' }),
    };
    const resolved = resolveServerConfig(all);
    expect(resolved.config).toMatchObject({ port: 1001, host: '::1', keepAliveMs: 20_000 });
    expect(resolved.sources).toMatchObject({
      port: '--port',
      host: 'COUNTERSIGN_HOST',
      keepAliveMs: 'countersign.server.yaml',
      bodyLimitBytes: 'default',
    });
    expect(resolveServerConfig({ ...all, flags: {} }).config.port).toBe(1002);
    expect(resolveServerConfig({ file: all.file }).config.port).toBe(1003);
    // A blank variable counts as unset.
    const blank = resolveServerConfig({ env: { COUNTERSIGN_PORT: ' ' }, file: all.file });
    expect(blank.sources.port).toBe('countersign.server.yaml');
  });

  it('reads durations as 7d or 36h, and as milliseconds in the file', () => {
    const fromFlag = resolveServerConfig({ flags: { 'idempotency-retention': '36h' } });
    expect(fromFlag.config.scheduler.idempotencyRetentionMs).toBe(36 * 3_600_000);
    const fromFile = resolveServerConfig({
      file: file({ scheduler: { idempotencyRetentionMs: 2 * 86_400_000, pollIntervalMs: '1s' } }),
    });
    expect(fromFile.config.scheduler).toEqual({
      idempotencyRetentionMs: 2 * 86_400_000,
      pollIntervalMs: 1_000,
    });
    expect(
      resolveServerConfig({ env: { COUNTERSIGN_CALLBACK_HOSTS: 'a.example, *.b:8080' } }).config
        .callbackHosts,
    ).toEqual(['a.example', '*.b:8080']);
  });

  it('names the option and its source in every problem, and reports them all at once', () => {
    expect(problem({ flags: { port: 'x' } })).toBe('--port must be a port number, not "x"');
    expect(problem({ env: { COUNTERSIGN_PORT: '70000' } })).toBe(
      'COUNTERSIGN_PORT must be a port number, not 70000',
    );
    expect(problem({ file: file({ port: 'x' }) })).toBe(
      'countersign.server.yaml: port must be a port number, not "x"',
    );
    expect(problem({ file: file({ scheduler: { idempotencyRetentionMs: '2h' } }) })).toBe(
      'countersign.server.yaml: scheduler.idempotencyRetentionMs must be a duration of at least 24h, such as 36h or 7d, not "2h"',
    );
    expect(problem({ flags: { 'callback-hosts': 'a.example,' } })).toMatch(
      /^--callback-hosts: callbackHosts entry "" is malformed/,
    );
    // An overridden source is still checked: a broken file is refused even under a good flag.
    const error = (() => {
      try {
        resolveServerConfig({
          flags: { port: '1', 'keep-alive': 'soon' },
          file: file({ port: -1 }),
        });
      } catch (caught) {
        return caught as ServerConfigError;
      }
    })();
    expect(CountersignError.hasCode(error, 'validation_failed')).toBe(true);
    expect(error?.issues.map(({ option, source }) => [option, source])).toEqual([
      ['keepAliveMs', '--keep-alive'],
      ['port', 'countersign.server.yaml'],
    ]);
    expect(error?.details).toMatchObject({
      issues: [{ option: 'keepAliveMs' }, { option: 'port' }],
    });
  });

  it('refuses unknown keys in the file, naming each with its path', () => {
    expect(problem({ file: file({ prot: 1, scheduler: { bogus: true } }) })).toBe(
      'countersign.server.yaml: unknown option "scheduler.bogus"; countersign.server.yaml: unknown option "prot"',
    );
    expect(problem({ file: file({ outbox: 5 }) })).toBe(
      'countersign.server.yaml: outbox must be a mapping of options',
    );
  });

  it('checks rules across options, naming each side as its source spells it', () => {
    const url = 'postgres://u:hunter2@db/countersign';
    expect(problem({ flags: { db: 'x.db', 'database-url': url } })).toBe(
      'Give either --db or --database-url, not both',
    );
    expect(
      problem({ file: file({ dbPath: 'x.db' }), env: { COUNTERSIGN_DATABASE_URL: url } }),
    ).toBe('Give either dbPath in countersign.server.yaml or COUNTERSIGN_DATABASE_URL, not both');
    const both = (() => {
      try {
        resolveServerConfig({ flags: { db: 'x.db' }, env: { COUNTERSIGN_DATABASE_URL: url } });
      } catch (caught) {
        return (caught as ServerConfigError).issues;
      }
    })();
    expect(both).toEqual([
      {
        option: 'databaseUrl',
        source: 'COUNTERSIGN_DATABASE_URL',
        message: 'Give either --db or COUNTERSIGN_DATABASE_URL, not both',
      },
    ]);
    expect(problem({ flags: { schema: 's' } })).toBe('--schema needs --database-url');
    expect(problem({ code: { databaseSchema: 's' } })).toBe('databaseSchema needs databaseUrl');
    expect(
      problem({
        env: { COUNTERSIGN_WEBHOOK_RETRY_DELAY: '2h', COUNTERSIGN_WEBHOOK_MAX_RETRY_DELAY: '1h' },
      }),
    ).toBe('COUNTERSIGN_WEBHOOK_MAX_RETRY_DELAY must be at least COUNTERSIGN_WEBHOOK_RETRY_DELAY');
  });

  it('exports the same checks as one zod schema', () => {
    expect(serverConfigSchema.parse({ port: 0, keepAliveMs: '2s' })).toMatchObject({
      port: 0,
      keepAliveMs: 2_000,
      scheduler: { idempotencyRetentionMs: 7 * 86_400_000 },
    });
    const refused = serverConfigSchema.safeParse({
      dbPath: 'x.db',
      databaseUrl: 'postgres://db/x',
    });
    expect(refused.error?.issues).toMatchObject([
      { path: ['databaseUrl'], message: 'Give either dbPath or databaseUrl, not both' },
    ]);
    expect(serverConfigSchema.safeParse({ prot: 1 }).error?.issues).toMatchObject([
      { code: 'unrecognized_keys', keys: ['prot'] },
    ]);
  });

  it('never repeats a secret in a message', () => {
    const message = problem({ flags: { 'database-url': 'mysql://root:hunter2@db/x' } });
    expect(message).toBe('--database-url must start with postgres://, not "mysql://root:***@db/x"');
    const short = problem({ env: { COUNTERSIGN_SIGNING_KEY_SECRET: 'hunter2' } });
    expect(short).toBe('COUNTERSIGN_SIGNING_KEY_SECRET must be a secret of at least 32 characters');
  });

  it('takes the signing-key secret or its file, not both', () => {
    const secret = 'x'.repeat(32);
    expect(
      problem({
        env: { COUNTERSIGN_SIGNING_KEY_SECRET: secret },
        flags: { 'signing-key-secret-file': '/run/secret' },
      }),
    ).toBe('Give either COUNTERSIGN_SIGNING_KEY_SECRET or --signing-key-secret-file, not both');
  });
});

import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CountersignError } from '@countersign/core/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadServerConfig } from './config/load-server-config.js';
import { startServer } from './server.js';
import { dropSchema, postgresTestUrl, testSchema } from './test-support/postgres.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-start-config-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('startServer with a configuration object', () => {
  it('runs on the configuration loadServerConfig returns', async () => {
    const dbPath = join(directory, 'server.db');
    const configFile = join(directory, 'countersign.server.yaml');
    await writeFile(configFile, `port: 0\ndbPath: ${JSON.stringify(dbPath)}\nkeepAliveMs: 2s\n`);
    const { config } = await loadServerConfig({ configFile });
    const server = await startServer(config);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
      expect(existsSync(dbPath)).toBe(true);
      expect(await server.scheduler.runDue()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses bad options with validation_failed naming them, before opening anything', async () => {
    const dbPath = join(directory, 'never.db');
    const refusal = async (options: Parameters<typeof startServer>[0]) => {
      const error = await startServer({ dbPath, ...options }).catch((caught: unknown) => caught);
      expect(CountersignError.hasCode(error, 'validation_failed')).toBe(true);
      return (error as Error).message;
    };
    expect(await refusal({ port: 70_000 })).toBe('port must be a port number, not 70000');
    expect(await refusal({ scheduler: { idempotencyRetentionMs: 3_600_000 } })).toBe(
      'scheduler.idempotencyRetentionMs must be a duration of at least 24h, such as 36h or 7d, not 3600000',
    );
    expect(await refusal({ callbackHosts: ['https://hooks.example/x'] })).toMatch(
      /^callbackHosts: callbackHosts entry "https:\/\/hooks.example\/x" is malformed/,
    );
    expect(await refusal({ databaseUrl: 'postgres://db/x' })).toBe(
      'Give either dbPath or databaseUrl, not both',
    );
    expect(existsSync(dbPath)).toBe(false);
  });

  it('opens PostgreSQL from databaseUrl and databaseSchema', async () => {
    const schema = testSchema();
    try {
      const server = await startServer({
        port: 0,
        databaseUrl: postgresTestUrl(),
        databaseSchema: schema,
      });
      try {
        expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      } finally {
        await server.close();
      }
    } finally {
      await dropSchema(schema);
    }
  });
});

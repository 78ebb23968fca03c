import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../config/load-server-config.js';
import type { CliIo } from './cli-support.js';
import { runCli } from './run-cli.js';

let directory: string;
let configPath: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-serve-config-'));
  configPath = join(directory, 'countersign.server.yaml');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function start(argv: string[], env: Record<string, string> = {}, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(`${text}\n`),
    write: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
    ...(signal ? { signal } : {}),
  };
  return { out, err, done: runCli(argv, io) };
}

describe('countersign serve --config and --print-config', () => {
  it('prints the effective configuration with each source, secrets masked, opening nothing', async () => {
    await writeFile(configPath, 'host: 0.0.0.0\nscheduler:\n  pollIntervalMs: 1s\n');
    const url = 'postgres://ops:hunter2@db.internal:5432/countersign';
    const printed = start(
      ['serve', '--config', configPath, '--print-config', '--database-url', url, '--port', '9000'],
      { COUNTERSIGN_CALLBACK_HOSTS: 'hooks.example,*.internal' },
    );
    expect(await printed.done).toBe(0);
    const text = printed.out.join('');
    expect(text).not.toContain('hunter2');
    const lines = text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'port: 9000 # --port',
        `host: 0.0.0.0 # ${configPath}`,
        'databaseUrl: postgres://ops:***@db.internal:5432/countersign # --database-url',
        'callbackHosts: [ hooks.example, "*.internal" ] # COUNTERSIGN_CALLBACK_HOSTS',
        `  pollIntervalMs: 1s # ${configPath}`,
        '  idempotencyRetentionMs: 7d # default',
      ]),
    );
    expect(existsSync(join(directory, 'countersign.db'))).toBe(false);

    // The YAML reads back as the same configuration (the masked URL left out).
    const asFile = join(directory, 'printed.yaml');
    await writeFile(asFile, lines.filter((line) => !line.startsWith('databaseUrl')).join('\n'));
    const original = await loadServerConfig({ configFile: configPath, flags: { port: '9000' } });
    const reread = await loadServerConfig({ configFile: asFile });
    expect(reread.config).toEqual({
      ...original.config,
      callbackHosts: ['hooks.example', '*.internal'],
    });

    const json = start(['serve', '--print-config', '--json', '--database-url', url]);
    expect(await json.done).toBe(0);
    expect(JSON.parse(json.out.join(''))).toMatchObject({
      port: 8787,
      databaseUrl: 'postgres://ops:***@db.internal:5432/countersign',
      scheduler: { idempotencyRetentionMs: '7d' },
    });
  });

  it('serves with the options of the file', async () => {
    const dbPath = join(directory, 'from-file.db');
    await writeFile(configPath, `port: 0\ndbPath: ${JSON.stringify(dbPath)}\n`);
    const stop = new AbortController();
    const server = start(['serve'], { COUNTERSIGN_CONFIG: configPath }, stop.signal);
    try {
      const deadline = Date.now() + 5000;
      let match: RegExpMatchArray | null = null;
      while (!match && Date.now() < deadline) {
        match = server.out.join('').match(/listening on (\S+)/);
        if (!match) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(match?.[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${match?.[1]}/readyz`)).status).toBe(200);
      expect(existsSync(dbPath)).toBe(true);
    } finally {
      stop.abort();
      expect(await server.done).toBe(0);
    }
  });

  it('refuses a bad value or an unknown key in the file before opening the database', async () => {
    await writeFile(configPath, 'port: eighty\nschedular:\n  pollIntervalMs: 1s\n');
    const refused = start(['serve', '--config', configPath]);
    expect(await refused.done).toBe(1);
    expect(refused.err).toEqual([
      `countersign serve: ${configPath}: port must be a port number, not "eighty"; ` +
        `${configPath}: unknown option "schedular"`,
    ]);
    expect(existsSync(join(directory, 'countersign.db'))).toBe(false);
  });
});

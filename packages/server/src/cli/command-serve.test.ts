import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../config/load-server-config.js';
import type { CliIo } from './cli-support.js';
import { callbackHostsFrom, retentionFrom } from './command-serve.js';
import { runCli } from './run-cli.js';

let directory: string;
let dbPath: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-serve-'));
  dbPath = join(directory, 'countersign.db');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function start(argv: string[], env: Record<string, string> = {}, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    write: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
    ...(signal ? { signal } : {}),
  };
  return { out, err, done: runCli(argv, io) };
}

async function listeningUrl(out: string[]): Promise<string> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const match = out.join('\n').match(/listening on (\S+)/);
    if (match?.[1]) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`serve did not start: ${out.join(' | ')}`);
}

describe('countersign serve --callback-hosts', () => {
  it('reads the flag before the variable, splits on commas and treats an empty variable as unset', () => {
    expect(callbackHostsFrom(undefined, {})).toBeUndefined();
    expect(callbackHostsFrom(undefined, { COUNTERSIGN_CALLBACK_HOSTS: ' ' })).toBeUndefined();
    expect(callbackHostsFrom(undefined, { COUNTERSIGN_CALLBACK_HOSTS: 'a.example, *.b' })).toEqual([
      'a.example',
      '*.b',
    ]);
    expect(callbackHostsFrom('c.example', { COUNTERSIGN_CALLBACK_HOSTS: 'a.example' })).toEqual([
      'c.example',
    ]);
  });

  it('refuses a malformed list before opening the database, naming the flag or the variable', async () => {
    const flag = start(['serve', '--port', '0', '--db', dbPath, '--callback-hosts', 'a.example,']);
    expect(await flag.done).toBe(1);
    expect(flag.err.join('\n')).toMatch(/--callback-hosts: callbackHosts entry "" is malformed/);
    const variable = start(['serve', '--port', '0', '--db', dbPath], {
      COUNTERSIGN_CALLBACK_HOSTS: 'http://a.example/hook',
    });
    expect(await variable.done).toBe(1);
    expect(variable.err.join('\n')).toMatch(/COUNTERSIGN_CALLBACK_HOSTS: .*is malformed/);
    expect(existsSync(dbPath)).toBe(false);
  });

  it('serves with the list applied to callback URLs', async () => {
    const created = start(['keys', 'create', '--role', 'agent', '--name', 'bot', '--db', dbPath]);
    expect(await created.done).toBe(0);
    const key = created.out.join('').trim();
    const stop = new AbortController();
    const server = start(
      ['serve', '--port', '0', '--db', dbPath, '--callback-hosts', 'hooks.example,*.internal'],
      {},
      stop.signal,
    );
    try {
      const url = await listeningUrl(server.out);
      const post = (callbackUrl: string) =>
        fetch(`${url}/v1/requests`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'X', callbackUrl }),
        });
      expect((await post('https://a.internal/cb')).status).toBe(201);
      const refused = await post('http://10.0.0.1/cb');
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        error: { code: 'validation_failed', details: { field: 'callbackUrl' } },
      });
    } finally {
      stop.abort();
      expect(await server.done).toBe(0);
    }
  });
});

describe('countersign serve --idempotency-retention', () => {
  it('reads minutes, hours and days, and refuses less than 24 hours or a bad spelling', () => {
    expect(retentionFrom('7d')).toBe(7 * 86_400_000);
    expect(retentionFrom('36h')).toBe(36 * 3_600_000);
    expect(retentionFrom('1440m')).toBe(86_400_000);
    for (const bad of ['23h', '0d', '7', '7 days', '-2d', '1.5d', '']) {
      expect(() => retentionFrom(bad)).toThrow(/at least 24h/);
    }
  });

  it('refuses a short retention before opening the database, and serves with a valid one', async () => {
    const short = start(['serve', '--port', '0', '--db', dbPath, '--idempotency-retention', '2h']);
    expect(await short.done).toBe(1);
    expect(short.err.join('\n')).toMatch(/--idempotency-retention must be .* not "2h"/);
    expect(existsSync(dbPath)).toBe(false);
    const stop = new AbortController();
    const server = start(
      ['serve', '--port', '0', '--db', dbPath, '--idempotency-retention', '10d'],
      {},
      stop.signal,
    );
    try {
      expect(await listeningUrl(server.out)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      stop.abort();
      expect(await server.done).toBe(0);
    }
  });
});

describe('countersign serve --config and --print-config', () => {
  const configFile = () => join(directory, 'countersign.server.yaml');

  it('prints the effective configuration with each source, secrets masked, opening nothing', async () => {
    await writeFile(configFile(), 'host: 0.0.0.0\nscheduler:\n  pollIntervalMs: 1s\n');
    const url = 'postgres://ops:hunter2@db.internal:5432/countersign';
    const printed = start(
      [
        'serve',
        '--config',
        configFile(),
        '--print-config',
        '--database-url',
        url,
        '--port',
        '9000',
      ],
      { COUNTERSIGN_CALLBACK_HOSTS: 'hooks.example,*.internal' },
    );
    expect(await printed.done).toBe(0);
    const text = printed.out.join('');
    expect(text).not.toContain('hunter2');
    const lines = text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'port: 9000 # --port',
        `host: 0.0.0.0 # ${configFile()}`,
        'databaseUrl: postgres://ops:***@db.internal:5432/countersign # --database-url',
        'callbackHosts: [ hooks.example, "*.internal" ] # COUNTERSIGN_CALLBACK_HOSTS',
        `  pollIntervalMs: 1s # ${configFile()}`,
        '  idempotencyRetentionMs: 7d # default',
      ]),
    );
    expect(existsSync(join(directory, 'countersign.db'))).toBe(false);

    // The YAML reads back as the same configuration (the masked URL left out).
    const asFile = join(directory, 'printed.yaml');
    await writeFile(asFile, lines.filter((line) => !line.startsWith('databaseUrl')).join('\n'));
    const original = await loadServerConfig({ configFile: configFile(), flags: { port: '9000' } });
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

  it('masks the signing-key secret in --print-config', async () => {
    const secret = 'a-signing-key-secret-nobody-may-read-0123';
    const printed = start(['serve', '--print-config', '--json'], {
      COUNTERSIGN_SIGNING_KEY_SECRET: secret,
    });
    expect(await printed.done).toBe(0);
    const text = printed.out.join('');
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({
      receipts: { signingKeySecret: '***', ttlMs: '10m' },
    });
  });

  it('serves with the options of the file', async () => {
    const dbPath = join(directory, 'from-file.db');
    await writeFile(configFile(), `port: 0\ndbPath: ${JSON.stringify(dbPath)}\n`);
    const stop = new AbortController();
    const server = start(['serve'], { COUNTERSIGN_CONFIG: configFile() }, stop.signal);
    try {
      const url = await listeningUrl(server.out);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(existsSync(dbPath)).toBe(true);
    } finally {
      stop.abort();
      expect(await server.done).toBe(0);
    }
  });

  it('refuses a bad value or an unknown key in the file before opening the database', async () => {
    await writeFile(configFile(), 'port: eighty\nschedular:\n  pollIntervalMs: 1s\n');
    const refused = start(['serve', '--config', configFile()]);
    expect(await refused.done).toBe(1);
    expect(refused.err).toEqual([
      `countersign serve: ${configFile()}: port must be a port number, not "eighty"; ` +
        `${configFile()}: unknown option "schedular"`,
    ]);
    expect(existsSync(join(directory, 'countersign.db'))).toBe(false);
  });
});

describe('countersign serve --smtp-url', () => {
  it('refuses an unreachable relay at start in one line naming the option, and masks its password', async () => {
    const refused = start([
      'serve',
      '--db',
      dbPath,
      '--port',
      '0',
      '--smtp-url',
      'smtp://u:hunter2@127.0.0.1:1',
    ]);
    expect(await refused.done).toBe(1);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toMatch(
      /^countersign serve: --smtp-url \(COUNTERSIGN_SMTP_URL\): cannot use the SMTP relay smtp:\/\/u:\*\*\*@127\.0\.0\.1:1/,
    );
    expect(refused.err[0]).not.toContain('hunter2');
    const printed = start(['serve', '--print-config'], {
      COUNTERSIGN_SMTP_URL: 'smtp://u:hunter2@smtp.example.com:587',
      COUNTERSIGN_PUBLIC_URL: 'ftp://nope',
    });
    expect(await printed.done).not.toBe(0);
    expect(printed.err.join('\n')).toMatch(
      /COUNTERSIGN_PUBLIC_URL must be a http:\/\/ or https:\/\/ URL/,
    );
  });
});

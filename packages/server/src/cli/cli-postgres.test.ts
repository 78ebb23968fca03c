import { afterEach, describe, expect, it } from 'vitest';
import { lineMatching } from '../test-support/line-matching.js';
import { dropSchema, postgresTestUrl, testSchema } from '../test-support/postgres.js';
import type { CliIo } from './cli-support.js';
import { runCli } from './run-cli.js';

const schemas: string[] = [];
afterEach(async () => {
  for (const schema of schemas.splice(0)) await dropSchema(schema);
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
  return { done: runCli(argv, io), out, err };
}

describe('countersign CLI on PostgreSQL', () => {
  it('creates a key with --database-url and serves two replicas that both accept it', async () => {
    const schema = testSchema();
    schemas.push(schema);
    const url = postgresTestUrl();
    const created = start([
      'keys',
      'create',
      '--role',
      'agent',
      '--name',
      'bot',
      '--database-url',
      url,
      '--schema',
      schema,
    ]);
    expect(await created.done).toBe(0);
    const key = created.out.join('').trim();
    expect(key).toMatch(/^csk_/);
    const stop = new AbortController();
    const env = { COUNTERSIGN_DATABASE_URL: url, COUNTERSIGN_DATABASE_SCHEMA: schema };
    const first = start(['serve', '--port', '0'], env, stop.signal);
    const second = start(['serve', '--port', '0'], env, stop.signal);
    try {
      const urls = [
        (await lineMatching(first.out, /listening on (\S+)/))[1],
        (await lineMatching(second.out, /listening on (\S+)/))[1],
      ];
      const response = await fetch(`${urls[0]}/v1/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'Deploy' }),
      });
      const { id } = (await response.json()) as { id: string };
      const read = await fetch(`${urls[1]}/v1/requests/${id}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ id, status: 'pending' });
    } finally {
      stop.abort();
      expect(await first.done).toBe(0);
      expect(await second.done).toBe(0);
    }
  });

  it('refuses a non-PostgreSQL URL, --db beside --database-url, and an unreachable server', async () => {
    const notPostgres = start([
      'keys',
      'list',
      '--database-url',
      'mysql://root:secret@127.0.0.1/x',
    ]);
    expect(await notPostgres.done).toBe(1);
    expect(notPostgres.err.join('\n')).toMatch(/must start with postgres:\/\//);
    expect(notPostgres.err.join('\n')).not.toContain('secret');
    const both = start(['keys', 'list', '--db', 'x.db', '--database-url', postgresTestUrl()]);
    expect(await both.done).toBe(1);
    expect(both.err.join('\n')).toMatch(/either --db or --database-url/);
    const down = start(['keys', 'list'], {
      COUNTERSIGN_DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/test',
    });
    expect(await down.done).toBe(1);
    expect(down.err.join('\n')).toMatch(
      /Cannot open PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test/,
    );
  });
});

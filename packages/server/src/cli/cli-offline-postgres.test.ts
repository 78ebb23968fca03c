import { createRequestBodySchema } from '@countersign/core/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.js';
import { systemClock } from '../clock.js';
import { createRequest } from '../service/create-request.js';
import { EventBus } from '../service/event-bus.js';
import {
  dropSchema,
  openTestPostgresStore,
  postgresTestUrl,
  testSchema,
} from '../test-support/postgres.js';
import type { CliIo } from './cli-support.js';
import { runCli } from './run-cli.js';

const schemas: string[] = [];
afterEach(async () => {
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(`${text}\n`),
    write: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
  };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('\n') };
}

const bot: Principal = { id: 'agent:bot', role: 'agent', name: 'bot', groups: [], keyId: 'k' };

const body = (action: string) => createRequestBodySchema.parse({ action });

/** A fresh schema holding two pending requests; returns their ids. */
async function seed(schema: string): Promise<[string, string]> {
  const store = await openTestPostgresStore(schema);
  try {
    const context = { store, clock: systemClock, bus: new EventBus() };
    const first = await createRequest(context, bot, body('Deploy'));
    const second = await createRequest(context, bot, body('Delete'));
    return [first.request.id, second.request.id];
  } finally {
    await store.close();
  }
}

describe('offline request and audit commands on PostgreSQL', () => {
  it('lists, shows, approves, rejects and audits with --database-url and --schema', async () => {
    const schema = testSchema();
    schemas.push(schema);
    const [first, second] = await seed(schema);
    const db = ['--database-url', postgresTestUrl(), '--schema', schema];
    const ls = await run(['ls', '--status', 'pending', ...db]);
    expect(ls.code).toBe(0);
    expect(ls.out).toContain(first);
    expect(ls.out).toContain('Delete');
    const shown = await run(['show', first, '--json', ...db]);
    expect(JSON.parse(shown.out)).toMatchObject({ id: first, status: 'pending' });
    const approved = await run(['approve', first, '--as', 'ops-lead', '--json', ...db]);
    expect(JSON.parse(approved.out)).toMatchObject({
      status: 'approved',
      decisions: [{ principal: 'user:ops-lead', outcome: 'approve' }],
    });
    const rejected = await run(['reject', second, '--reason', 'risky', ...db]);
    expect(rejected.out).toMatch(/status\s+rejected/);
    expect((await run(['ls', '--status', 'pending', ...db])).out).toBe('No requests\n');
    const exported = await run(['audit', 'export', '--request', first, ...db]);
    const entries = exported.out
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { type: string; actor: string });
    expect(entries.map((entry) => entry.type)).toEqual(['created', 'decided']);
    expect(entries.some((entry) => entry.actor === 'user:ops-lead')).toBe(true);
    const verified = await run(['audit', 'verify', '--json', ...db]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ ok: true });
  });

  it('uses COUNTERSIGN_DATABASE_URL when no server is configured, and refuses mixed targets', async () => {
    const schema = testSchema();
    schemas.push(schema);
    const [first] = await seed(schema);
    const env = {
      COUNTERSIGN_DATABASE_URL: postgresTestUrl(),
      COUNTERSIGN_DATABASE_SCHEMA: schema,
    };
    const shown = await run(['show', first, '--json'], env);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ id: first, status: 'pending' });
    const mixed = await run(['ls', '--database-url', postgresTestUrl(), '--url', 'http://x']);
    expect(mixed.code).toBe(1);
    expect(mixed.err).toMatch(/not both/);
    const both = await run(['ls', '--db', 'x.db', '--database-url', postgresTestUrl()]);
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/either --db or --database-url/);
    const down = await run(['audit', 'verify'], {
      COUNTERSIGN_DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/test',
    });
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/Cannot open PostgreSQL/);
    expect(down.err).not.toContain('hunter2');
  });
});

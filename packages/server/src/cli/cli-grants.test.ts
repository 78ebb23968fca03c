import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import type { CliIo } from './cli-support.js';
import { runCli } from './run-cli.js';

let server: TestServer;
let agentKey: string;
let reviewerKey: string;
beforeEach(async () => {
  server = await startTestServer();
  agentKey = await server.createKey({ role: 'agent', name: 'bot' });
  reviewerKey = await server.createKey({ role: 'reviewer', name: 'alice' });
});
afterEach(async () => {
  await server.close();
});

async function run(argv: string[], key: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(`${text}\n`),
    write: (text) => out.push(text),
    err: (text) => err.push(text),
    env: { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: key },
  };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('\n') };
}

async function createPayment(amount: number, grants?: { maxLifetime: string }) {
  const response = await fetch(`${server.url}/v1/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      action: `Pay ${amount}`,
      tool: { name: 'pay', args: { amount } },
      policy: {
        rule: 'pay',
        rules: [{ name: 'pay', action: 'require', ...(grants ? { grants } : {}) }],
        default: { action: 'require' },
      },
    }),
  });
  return (await response.json()) as { id: string; status: string };
}

describe('countersign approve --grant, grants ls and grants revoke', () => {
  it('adds a grant while approving, lists it and revokes it', async () => {
    const first = await createPayment(100);
    const approve = await run(
      ['approve', first.id, '--grant', '--grant-when', 'args.amount <= 200', '--grant-uses', '5'],
      reviewerKey,
    );
    expect(approve.code, approve.err).toBe(0);
    const grantId = /added (g_\S+)/.exec(approve.out)?.[1] as string;
    expect(grantId).toBeDefined();

    const second = await createPayment(150);
    expect(second.status).toBe('approved');
    const show = await run(['show', second.id], reviewerKey);
    expect(show.out).toContain(`approved by grant ${grantId} (granted by user:alice at `);

    const ls = await run(['grants', 'ls'], reviewerKey);
    expect(ls.out).toContain(grantId);
    expect(ls.out).toContain('1/5 uses');
    expect((await run(['grants', 'revoke', grantId, '--reason', 'enough'], reviewerKey)).code).toBe(
      0,
    );
    expect((await run(['grants', 'ls'], reviewerKey)).out).toContain('No active grants');
    expect((await run(['grants', 'ls', '--all'], reviewerKey)).out).toMatch(/revoked/);
    expect((await createPayment(150)).status).toBe('pending');

    const refused = await run(['approve', first.id, '--grant-uses', '2'], reviewerKey);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/need --grant/);
  });

  it('lets an admin make a grant directly, checked like the API', async () => {
    const bad = await run(['grants', 'create', '--tool', 'pay', '--for', 'run'], server.adminKey);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/agent: "run" needs agent/);
    const notAdmin = await run(['grants', 'create', '--tool', 'pay', '--for', 'any'], reviewerKey);
    expect(notAdmin.err).toMatch(/Only admins/);
    const made = await run(
      ['grants', 'create', '--tool', 'pay', '--when', 'args.amount < 10', '--for', 'any', '--json'],
      server.adminKey,
    );
    expect(made.code, made.err).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({
      tool: 'pay',
      appliesTo: 'any',
      grantedBy: 'user:admin',
    });
    expect((await createPayment(5)).status).toBe('approved');
    expect((await createPayment(50)).status).toBe('pending');
  });

  it("gives a grant without --grant-lifetime 1 h, or the rule's cap when shorter", async () => {
    const capped = await createPayment(7, { maxLifetime: '10m' });
    const approve = await run(['approve', capped.id, '--grant'], reviewerKey);
    expect(approve.code, approve.err).toBe(0);
    const grantId = /added (g_\S+)/.exec(approve.out)?.[1] as string;
    const grant = await fetch(`${server.url}/v1/grants/${grantId}`, {
      headers: { authorization: `Bearer ${reviewerKey}` },
    });
    const { createdAt, expiresAt } = (await grant.json()) as {
      createdAt: string;
      expiresAt: string;
    };
    expect(Date.parse(expiresAt) - Date.parse(createdAt)).toBe(10 * 60_000);
    expect((await createPayment(7, { maxLifetime: '10m' })).status).toBe('approved');
  });
});

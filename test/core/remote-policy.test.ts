import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CountersignClient,
  createGate,
  parsePolicy,
  type RemotePolicy,
  remotePolicy,
} from '@countersign/core';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ALLOW_READS = `version: 1
default: deny
rules:
  - name: reads
    tools: ["read_*"]
    action: allow
  - name: transfers
    tools: [transfer]
    action: require
`;
const DENY_READS = `version: 1
default: deny
rules:
  - name: no-reads
    tools: ["read_*"]
    action: deny
    message: Reading is switched off.
  - name: transfers
    tools: [transfer]
    action: require
`;

let server: TestServer;
let agentKey: string;
let reviewerKey: string;
const policies: RemotePolicy[] = [];
const logs: string[] = [];

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function follow(options: Parameters<typeof remotePolicy>[1] = {}): RemotePolicy {
  const policy = remotePolicy('payments', {
    baseUrl: server.url,
    apiKey: agentKey,
    reconnectDelayMs: 50,
    log: (message) => logs.push(message),
    ...options,
  });
  policies.push(policy);
  return policy;
}

/** Waits for `check` to hold, checking every 20 ms; fails after 10 s naming `what`. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeEach(async () => {
  logs.length = 0;
  server = await startTestServer({ keepAliveMs: 100 });
  agentKey = await server.createKey({ role: 'agent', name: 'payments-bot' });
  reviewerKey = await server.createKey({ role: 'reviewer', name: 'alice' });
});
afterEach(async () => {
  for (const policy of policies.splice(0)) policy.close();
  await server.close();
});

describe('remotePolicy', () => {
  it('follows pushes and rollbacks without a restart, and records name and version on requests', async () => {
    await admin('POST', '/v1/policies/payments/versions', { text: ALLOW_READS });
    const policy = follow();
    const gate = createGate({
      policy,
      service: new CountersignClient({ baseUrl: server.url, apiKey: agentKey }),
    });
    expect((await gate.check({ toolName: 'read_file', args: {} })).outcome).toBe('allow');
    expect(policy.version).toBe(1);
    await until(() => policy.connected, 'the control stream');

    await admin('POST', '/v1/policies/payments/versions', { text: DENY_READS });
    await until(() => policy.version === 2, 'version 2');
    const denied = await gate.check({ toolName: 'read_file', args: {} });
    expect(denied).toMatchObject({ outcome: 'deny', message: 'Reading is switched off.' });

    await admin('POST', '/v1/policies/payments/rollback', { version: 1 });
    await until(() => policy.version === 1, 'the rollback');
    expect((await gate.check({ toolName: 'read_file', args: {} })).outcome).toBe('allow');

    const reviewer = new CountersignClient({ baseUrl: server.url, apiKey: reviewerKey });
    const decided = gate.check({ toolName: 'transfer', args: { amount: 5 }, toolCallId: 'c1' });
    await until(
      async () => (await reviewer.list({ status: 'pending' })).items.length === 1,
      'a request',
    );
    const [request] = (await reviewer.list({ status: 'pending' })).items;
    expect(request?.metadata).toMatchObject({
      policyName: 'payments',
      policyVersion: 1,
      policyRule: 'transfers',
    });
    await reviewer.decide(request?.id as string, { outcome: 'approve' });
    expect((await decided).outcome).toBe('allow');
  });

  it('an emergency stop denies even allowed calls and cancels pending requests; resume lifts it', async () => {
    await admin('POST', '/v1/policies/payments/versions', { text: ALLOW_READS });
    const policy = follow();
    const gate = createGate({
      policy,
      service: new CountersignClient({ baseUrl: server.url, apiKey: agentKey }),
    });
    await policy.ready;
    await until(() => policy.connected, 'the control stream');
    const waiting = gate.check({ toolName: 'transfer', args: { amount: 9 }, toolCallId: 'c2' });
    const reviewer = new CountersignClient({ baseUrl: server.url, apiKey: reviewerKey });
    await until(
      async () => (await reviewer.list({ status: 'pending' })).items.length === 1,
      'a request',
    );

    const stopped = await admin('POST', '/v1/stops', {
      scope: 'agent:payments-bot',
      reason: 'it is sending money to strangers',
    });
    expect(stopped.status).toBe(201);
    expect(stopped.body.cancelled).toHaveLength(1);
    expect(await waiting).toMatchObject({ outcome: 'deny', reason: 'cancelled' });
    await until(() => policy.stop !== null, 'the stop');
    const denied = await gate.check({ toolName: 'read_file', args: {} });
    expect(denied.outcome).toBe('deny');
    expect(denied.outcome === 'deny' && denied.message).toContain(
      'An operator stopped this agent (emergency stop, scope agent:payments-bot): it is sending money to strangers.',
    );
    // Durable: a gate started now starts stopped.
    const restarted = follow();
    await restarted.ready;
    expect(restarted.stop?.reason).toBe('it is sending money to strangers');

    expect((await admin('DELETE', '/v1/stops/agent%3Apayments-bot')).status).toBe(204);
    await until(() => policy.stop === null, 'the resume');
    expect((await gate.check({ toolName: 'read_file', args: {} })).outcome).toBe('allow');
  });

  it('a stopped agent cannot open requests even through a gate with a local policy', async () => {
    const local = createGate({
      policy: parsePolicy('version: 1\ndefault: require\n'),
      service: new CountersignClient({ baseUrl: server.url, apiKey: agentKey }),
    });
    await admin('POST', '/v1/stops', { scope: 'agent:payments-bot', reason: 'audit in progress' });
    const denied = await local.check({ toolName: 'transfer', args: { amount: 1 } });
    expect(denied).toMatchObject({ outcome: 'deny', reason: 'policy' });
    expect(denied.outcome === 'deny' && denied.message).toBe(
      'An operator stopped this agent (emergency stop, scope agent:payments-bot): audit in progress. The call did not run, and no call will run until an operator resumes the agent. Do not retry; tell the user.',
    );
    const reviewer = new CountersignClient({ baseUrl: server.url, apiKey: reviewerKey });
    expect((await reviewer.list({ status: 'pending' })).items).toEqual([]);
    await admin('DELETE', '/v1/stops/agent%3Apayments-bot');
    const asked = local.check({ toolName: 'transfer', args: { amount: 1 }, toolCallId: 'c9' });
    await until(
      async () => (await reviewer.list({ status: 'pending' })).items.length === 1,
      'a request',
    );
    const [request] = (await reviewer.list({ status: 'pending' })).items;
    await reviewer.decide(request?.id as string, { outcome: 'approve' });
    expect((await asked).outcome).toBe('allow');
  });

  it('fails closed when the server is down at start, unless a cached copy is allowed', async () => {
    await admin('POST', '/v1/policies/payments/versions', { text: ALLOW_READS });
    const cacheFile = join(await mkdtemp(join(tmpdir(), 'countersign-cache-')), 'payments.json');
    const warm = follow({ cacheFile });
    await warm.ready;
    await until(async () => {
      try {
        await import('node:fs/promises').then((fs) => fs.stat(cacheFile));
        return true;
      } catch {
        return false;
      }
    }, 'the cache file');
    warm.close();
    await server.stop();

    const cold = follow();
    await cold.ready;
    const denied = await createGate({ policy: cold }).check({ toolName: 'read_file', args: {} });
    expect(denied.outcome).toBe('deny');
    expect(denied.outcome === 'deny' && denied.message).toMatch(
      /^Countersign could not load the policy "payments" from the server \(it cannot be reached: .+\), so no tool call may run/,
    );

    const cached = follow({ cacheFile });
    await cached.ready;
    expect(cached.version).toBe(1);
    expect(
      (await createGate({ policy: cached }).check({ toolName: 'read_file', args: {} })).outcome,
    ).toBe('allow');
    expect(
      logs.some((line) => line.includes(`running the cached payments@1 from ${cacheFile}`)),
    ).toBe(true);
  });

  it('keeps the last version through a lost stream, refetches on reconnect, and denies allowed calls once stale', async () => {
    await admin('POST', '/v1/policies/payments/versions', { text: ALLOW_READS });
    const policy = follow({ maxStalenessMs: 1500 });
    const gate = createGate({ policy });
    await policy.ready;
    await until(() => policy.connected, 'the control stream');
    await server.stop();
    await until(() => !policy.connected, 'the lost stream');
    expect(logs.join('\n')).toContain('lost the control stream of policy "payments"');
    expect(policy.version).toBe(1);
    expect((await gate.check({ toolName: 'read_file', args: {} })).outcome).toBe('allow');
    await until(
      async () => (await gate.check({ toolName: 'read_file', args: {} })).outcome === 'deny',
      'staleness',
    );
    const stale = await gate.check({ toolName: 'read_file', args: {} });
    expect(stale.outcome === 'deny' && stale.message).toMatch(
      /has not been able to reach the server/,
    );

    await server.start();
    await admin('POST', '/v1/policies/payments/versions', { text: DENY_READS });
    await until(() => policy.version === 2 && policy.connected, 'the reconnect and version 2');
    expect(await gate.check({ toolName: 'read_file', args: {} })).toMatchObject({
      outcome: 'deny',
      message: 'Reading is switched off.',
    });
  });

  it('evaluates a shadow version beside the active one and reports disagreements', async () => {
    await admin('POST', '/v1/policies/payments/versions', { text: ALLOW_READS });
    await admin('POST', '/v1/policies/payments/versions', { text: DENY_READS });
    await admin('POST', '/v1/policies/payments/rollback', { version: 1 });
    expect((await admin('PUT', '/v1/policies/payments/shadow', { version: 2 })).status).toBe(204);
    const policy = follow();
    const gate = createGate({ policy });
    await policy.ready;
    for (const toolName of ['read_file', 'read_db', 'delete']) {
      await gate.check({ toolName, args: {} });
    }
    // Outcomes follow the active version only.
    expect((await gate.check({ toolName: 'read_file', args: {} })).outcome).toBe('allow');
    await policy.flushShadowReport();
    const reports = await admin('GET', '/v1/policies/payments/shadow-reports');
    expect(reports.body.items).toEqual([
      expect.objectContaining({
        activeVersion: 1,
        shadowVersion: 2,
        evaluations: 4,
        disagreements: 3,
      }),
    ]);
    expect(reports.body.items[0].samples[0]).toMatchObject({
      toolName: 'read_file',
      active: { action: 'allow', rule: 'reads' },
      shadow: { action: 'deny', rule: 'no-reads' },
      reporter: 'agent:payments-bot',
    });
  });
});

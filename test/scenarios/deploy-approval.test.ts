// Scenario 1: an agent pauses before deploy(prod, v2.4.1); the approver rejects with a reason; the
// agent revises and asks again; the second request is approved; the agent's webhook endpoint gets
// the signed decisions; the audit shows both requests and decisions and verifies.
import { fileURLToPath } from 'node:url';
import {
  type ApprovalRequest,
  CountersignClient,
  createGate,
  fingerprint,
  type Gate,
  loadPolicy,
} from '@countersign/core';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, auditExport } from './api.ts';
import { type Delivery, type Receiver, startReceiver } from './webhook-receiver.ts';

const policyFile = fileURLToPath(new URL('../../examples/demo/countersign.yaml', import.meta.url));
let server: TestServer;
let receiver: Receiver;
let gate: Gate;
let approver: CountersignClient;
let webhookSecret: string;

beforeEach(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  const agentKey = await server.createKey({ role: 'agent', name: 'deploy-bot' });
  const approverKey = await server.createKey({
    role: 'reviewer',
    name: 'rita',
    groups: ['release'],
  });
  const hook = await api(server.url, server.adminKey, 'POST', '/v1/webhooks', {
    url: receiver.url,
    events: ['request.created', 'request.decided'],
  });
  expect(hook.status).toBe(201);
  webhookSecret = hook.body.secret;
  const service = new CountersignClient({ baseUrl: server.url, apiKey: agentKey });
  gate = createGate({ policy: await loadPolicy(policyFile), service });
  approver = new CountersignClient({ baseUrl: server.url, apiKey: approverKey });
});
afterEach(async () => {
  await server.close();
  await receiver.close();
});

/** The approver's side: the next pending request they are assigned, once it shows up. */
async function nextPending(seen: Set<string>): Promise<ApprovalRequest> {
  for (;;) {
    const page = await approver.list({ status: 'pending' });
    const found = page.items.find((request) => !seen.has(request.id));
    if (found) {
      seen.add(found.id);
      return found;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The webhook body, verified with the Standard Webhooks library; throws on a bad signature. */
function verified(delivery: Delivery): { type: string; data: { request: ApprovalRequest } } {
  const header = (name: string) => String(delivery.headers[name]);
  return new Webhook(webhookSecret).verify(delivery.body, {
    'webhook-id': header('webhook-id'),
    'webhook-timestamp': header('webhook-timestamp'),
    'webhook-signature': header('webhook-signature'),
  }) as { type: string; data: { request: ApprovalRequest } };
}

describe('scenario 1: deploy approval', () => {
  it('rejects, revises, approves; signed webhooks; audited', async () => {
    const seen = new Set<string>();
    const run = { runId: 'release-2026-11-23', context: { pipeline: 'release-train' } };
    const original = { env: 'prod', version: 'v2.4.1' };

    // 1. The agent pauses before the production deploy; the approver rejects with a reason.
    const firstCheck = gate.check({ ...run, toolName: 'deploy', args: original, toolCallId: 'c1' });
    const first = await nextPending(seen);
    expect(first).toMatchObject({
      status: 'pending',
      requester: 'agent:deploy-bot',
      assignees: ['group:release'],
      tool: { name: 'deploy', args: original },
      fingerprint: fingerprint('deploy', original),
    });
    const reason = 'v2.4.1 breaks the checkout migration; ship v2.4.2 as a canary';
    await approver.decide(first.id, { outcome: 'reject', reason });
    const rejected = await firstCheck;
    expect(rejected).toMatchObject({
      outcome: 'deny',
      reason: 'rejected',
      rejectionReason: reason,
      requestId: first.id,
    });

    // Asking again for the very same call is answered from memory, without a new request.
    const again = await gate.check({
      ...run,
      toolName: 'deploy',
      args: original,
      toolCallId: 'c2',
    });
    expect(again).toMatchObject({ outcome: 'deny', reason: 'rejected', rejectionReason: reason });

    // 2. The agent revises and asks again; this time the approver approves.
    const revised = { env: 'prod', version: 'v2.4.2', canary: true };
    const secondCheck = gate.check({ ...run, toolName: 'deploy', args: revised, toolCallId: 'c3' });
    const second = await nextPending(seen);
    expect(second.tool?.args).toEqual(revised);
    await approver.decide(second.id, { outcome: 'approve', comment: 'Canary first, good' });
    const approved = await secondCheck;
    expect(approved).toMatchObject({
      outcome: 'allow',
      args: revised,
      edited: false,
      requestId: second.id,
      approvedBy: ['user:rita'],
      fingerprint: fingerprint('deploy', revised),
    });
    const all = await api(server.url, server.adminKey, 'GET', '/v1/requests');
    expect(all.body.items.map((request: ApprovalRequest) => request.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );

    // 3. The agent's webhook endpoint got both decisions, each signed.
    await receiver.until(
      (deliveries) => deliveries.filter((d) => d.body.includes('"request.decided"')).length >= 2,
    );
    const bodies = receiver.deliveries.map(verified);
    const decided = bodies.filter((body) => body.type === 'request.decided');
    expect(decided.map((body) => [body.data.request.id, body.data.request.status])).toEqual([
      [first.id, 'rejected'],
      [second.id, 'approved'],
    ]);
    expect(decided[0]?.data.request.resolution).toMatchObject({ by: ['user:rita'], reason });
    expect(decided[1]?.data.request.resolution).toMatchObject({
      by: ['user:rita'],
      fingerprint: fingerprint('deploy', revised),
    });
    // A delivery whose body was changed on the way fails verification.
    const tampered = { ...(receiver.deliveries.at(-1) as Delivery) };
    tampered.body = tampered.body.replace('"approved"', '"rejected"');
    expect(() => verified(tampered)).toThrow();

    // 4. The audit shows both requests and both decisions, with who and which version; it verifies.
    const audit = await auditExport(server.url, server.adminKey);
    const ours = audit.filter(
      (entry) => entry.requestId === first.id || entry.requestId === second.id,
    );
    // The audit also records each webhook delivery.
    expect(ours.filter((entry) => entry.type === 'webhook.delivered').length).toBeGreaterThan(0);
    const story = ours
      .filter((entry) => !entry.type.startsWith('webhook.'))
      .map((entry) => [entry.requestId, entry.type, entry.actor, entry.data.status]);
    expect(story).toEqual([
      [first.id, 'created', 'agent:deploy-bot', 'pending'],
      [first.id, 'decided', 'user:rita', 'rejected'],
      [second.id, 'created', 'agent:deploy-bot', 'pending'],
      [second.id, 'decided', 'user:rita', 'approved'],
    ]);
    const approval = audit.find(
      (entry) => entry.requestId === second.id && entry.type === 'decided',
    );
    expect(approval?.data).toMatchObject({
      outcome: 'approve',
      decisionFingerprint: fingerprint('deploy', revised),
    });
    const verification = await api(server.url, server.adminKey, 'GET', '/v1/audit/verify');
    expect(verification.body).toMatchObject({ ok: true, entries: audit.length });
  });
});

import {
  type ApprovalRequest,
  CountersignClient,
  createGate,
  definePolicy,
} from '@countersign/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliServer, createCliServer, createKey } from './cli-server.ts';
import { requestSent } from './request-sent.ts';

/** A retry budget that outlasts a server restart (a few hundred ms) by a wide margin. */
const PATIENT = { maxRetries: 200, initialDelayMs: 20, maxDelayMs: 100 } as const;

let server: CliServer;
let agentKey: string;
let reviewerKey: string;
beforeEach(async () => {
  server = await createCliServer();
  agentKey = await createKey(server, 'agent', 'bot');
  reviewerKey = await createKey(server, 'reviewer', 'alice', 'ops');
  expect(agentKey).toMatch(/^csk_/);
  await server.start();
});
afterEach(async () => {
  await server.close();
});

const client = (key: string) =>
  new CountersignClient({ baseUrl: server.url, apiKey: key, retry: PATIENT });

async function createTransfer(): Promise<ApprovalRequest> {
  return client(agentKey).create({
    action: 'Transfer 100 to acc_1',
    tool: { name: 'transfer_funds', args: { amount: 100, to: 'acc_1' } },
    assignees: ['group:ops'],
  });
}

describe('client wait across a server crash (CLI serve, SIGKILL, same port and SQLite file)', () => {
  it.each(['sse', 'long-poll'] as const)(
    '%s: a decision made while the server was down is seen after the restart',
    async (transport) => {
      const request = await createTransfer();
      const seen: string[] = [];
      let connected!: () => void;
      const streaming = new Promise<void>((resolve) => {
        connected = resolve;
      });
      const polling = transport === 'long-poll' ? requestSent(/\/wait(\?|$)/) : undefined;
      const waiting = client(agentKey).wait(request.id, {
        transport,
        onEvent: (event) => {
          seen.push(event.type);
          connected();
        },
      });
      // SSE replays `created` once connected; a long-poll is in flight once its request is sent.
      if (transport === 'sse') await streaming;
      else await polling;

      await server.kill();
      const out = await server.run([
        'approve',
        request.id,
        '--db',
        server.dbPath,
        '--as',
        'alice',
        '--comment',
        'approved offline',
      ]);
      expect(out).toContain(request.id);
      await server.start();

      const done = await waiting;
      expect(done).toMatchObject({
        id: request.id,
        status: 'approved',
        resolution: { by: ['user:alice'], comment: 'approved offline' },
      });
      if (transport === 'sse') expect(seen[0]).toBe('created');
    },
  );

  it('long-poll: a decision made after the restart reaches the waiting client', async () => {
    const request = await createTransfer();
    const polling = requestSent(/\/wait(\?|$)/);
    const waiting = client(agentKey).wait(request.id, { transport: 'long-poll' });
    await polling;
    await server.kill();
    await server.start();
    await client(reviewerKey).decide(request.id, { outcome: 'reject', reason: 'not today' });
    expect(await waiting).toMatchObject({
      status: 'rejected',
      resolution: { reason: 'not today' },
    });
  });

  it('the gate keeps waiting through a crash and runs the call once approved', async () => {
    const policy = definePolicy({ version: 1, default: 'require' });
    const gate = createGate({ policy, service: client(agentKey) });
    const args = { amount: 42, to: 'acc_2' };
    const checking = gate.check({ toolName: 'transfer_funds', args, runId: 'r', toolCallId: 'c' });
    const reviewer = client(reviewerKey);
    let pending: ApprovalRequest | undefined;
    while (!pending) {
      pending = (await reviewer.list({ status: 'pending' })).items[0];
      if (!pending) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await server.kill();
    await server.start();
    await reviewer.decide(pending.id, { outcome: 'approve' });
    expect(await checking).toMatchObject({ outcome: 'allow', args, requestId: pending.id });
  });
});

/** Longer than the default retry budget (at most 1.4 s), as a restart or a deploy takes. */
const DOWN_MS = 2_000;
const down = () => new Promise((resolve) => setTimeout(resolve, DOWN_MS));

describe('the gate with the client defaults across a restart of two seconds and more', () => {
  const defaultClient = (options: { reconnectWindowMs?: number } = {}) =>
    new CountersignClient({ baseUrl: server.url, apiKey: agentKey, ...options });

  /**
   * The request the gate created, once the gate has its answer and waits on it: a create can be
   * readable before its answer reaches the client (the answer waits for the disk), and a create
   * cut off by the crash is retried only within the client's create budget, shorter than DOWN_MS.
   */
  async function pendingRequest(waiting: Promise<void>): Promise<ApprovalRequest> {
    await waiting;
    const [pending] = (await client(reviewerKey).list({ status: 'pending' })).items;
    if (!pending) throw new Error('the gate waits on no pending request');
    return pending;
  }
  const gateWaits = () => requestSent(/^\/v1\/requests\/[^/?]+\/(events|wait)(\?|$)/);

  it('keeps waiting while the server is down and runs the call once approved after the restart', async () => {
    const policy = definePolicy({ version: 1, default: 'require' });
    const gate = createGate({ policy, service: defaultClient() });
    const args = { amount: 7, to: 'acc_3' };
    const waiting = gateWaits();
    const checking = gate.check({ toolName: 'transfer_funds', args, runId: 'r', toolCallId: 'd' });
    const pending = await pendingRequest(waiting);
    await server.kill();
    await down();
    await server.start();
    await client(reviewerKey).decide(pending.id, { outcome: 'approve' });
    expect(await checking).toMatchObject({ outcome: 'allow', args, requestId: pending.id });
  });

  it('fails closed as unavailable once the reconnect window passes, and says how long it waited', async () => {
    const policy = definePolicy({ version: 1, default: 'require' });
    const gate = createGate({ policy, service: defaultClient({ reconnectWindowMs: 300 }) });
    const waiting = gateWaits();
    const checking = gate.check({ toolName: 'transfer_funds', args: { amount: 1 } });
    const pending = await pendingRequest(waiting);
    await server.kill();
    const decision = await checking;
    expect(decision).toMatchObject({
      outcome: 'deny',
      reason: 'unavailable',
      requestId: pending.id,
    });
    const message = decision.outcome === 'deny' ? decision.message : '';
    expect(message).toMatch(/kept trying for \d+ s, then stopped/);
    expect(message).toContain('not a rejection');
    await server.start();
    expect((await client(reviewerKey).get(pending.id)).status).toBe('pending');
  });
});

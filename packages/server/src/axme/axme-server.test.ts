import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import { AxmeContract } from '../test-support/axme-contract.js';
import { serverCalls } from '../test-support/server-calls.js';
import { openSse } from '../test-support/sse.js';

const contract = new AxmeContract();
let server: TestServer;
let agentKey: string;
let reviewerKey: string;
beforeAll(async () => {
  server = await startTestServer({ manualClock: true });
  agentKey = await server.createKey({ role: 'agent', name: 'budget-bot' });
  reviewerKey = await server.createKey({ role: 'reviewer', name: 'alice@example.com' });
});
afterAll(async () => {
  await server.close();
});

function axme(key: string, method: string, path: string, body?: unknown) {
  return serverCalls(server).axme(key, method, path, body);
}

async function createIntent(): Promise<string> {
  const reply = await axme(agentKey, 'POST', '/v1/intents', {
    intent_type: 'intent.budget.approval.v1',
    correlation_id: randomUUID(),
    to_agent: 'agent://acme/prod/finance',
    payload: { amount: 32000 },
    human_task: {
      title: 'Approve the budget',
      task_type: 'approval',
      assignees: ['alice@example.com'],
    },
  });
  contract.assert('api.intents.create.response.v1', reply.body);
  return reply.body.intent_id;
}

function stream(id: string, since = 0, waitSeconds = 30) {
  return openSse(
    `${server.url}/v1/intents/${id}/events/stream?since=${since}&wait_seconds=${waitSeconds}`,
    {
      'x-api-key': agentKey,
    },
  );
}

describe('AXME routes on a real server', () => {
  it('streams the wait for a human, the inbox approval and the completion, then ends', async () => {
    const id = await createIntent();
    const sse = await stream(id);
    expect(sse.status).toBe(200);
    const seen: { event?: string; id?: string }[] = [];
    for (;;) {
      const message = await sse.next();
      const data = JSON.parse(message.data);
      contract.assert('api.intents.events.list.response.v1', { ok: true, events: [data] });
      expect(message.id).toBe(String(data.seq));
      seen.push(message);
      if (message.event === 'intent.waiting') break;
    }
    expect(seen.map((message) => message.event)).toEqual([
      'intent.created',
      'intent.human_task_assigned',
      'intent.waiting',
    ]);
    const approved = await axme(reviewerKey, 'POST', `/v1/inbox/${id}/approve`, { comment: 'go' });
    expect(approved.status).toBe(200);
    const completion = await sse.next();
    expect([completion.event, completion.id]).toEqual(['intent.completed', '4']);
    sse.close();
    // A terminal intent ends the stream (the observer stops) well before its 60 s window.
    const replay = await fetch(`${server.url}/v1/intents/${id}/events/stream?wait_seconds=60`, {
      headers: { 'x-api-key': agentKey },
    });
    const text = await replay.text();
    expect(text).toContain('event: intent.completed');
    expect(text).not.toContain('stream.timeout');
  });

  it('closes a quiet window with stream.timeout and resumes after the highest seq', async () => {
    const id = await createIntent();
    const first = await stream(id, 0, 1);
    const ids: string[] = [];
    for (;;) {
      const message = await first.next();
      if (message.event === 'stream.timeout') {
        expect(message.id).toBe('3');
        break;
      }
      ids.push(message.id as string);
    }
    expect(ids).toEqual(['1', '2', '3']);
    first.close();
    await axme(reviewerKey, 'POST', `/v1/inbox/${id}/reject`, { comment: 'no' });
    const resumed = await stream(id, 3);
    const next = await resumed.next();
    expect([next.event, next.id]).toEqual(['intent.failed', '4']);
    resumed.close();
  });

  it('takes x-api-key only on the AXME routes and keeps Bearer working there', async () => {
    const plain = await fetch(`${server.url}/v1/requests`, { headers: { 'x-api-key': agentKey } });
    expect(plain.status).toBe(401);
    const bearer = await fetch(`${server.url}/v1/capabilities`, {
      headers: { authorization: `Bearer ${agentKey}` },
    });
    contract.assert('api.capabilities.get.response.v1', await bearer.json());
    const missing = await fetch(`${server.url}/v1/intents/${randomUUID()}`);
    expect(missing.status).toBe(401);
    const body = (await missing.json()) as { error: { code: string }; detail: string };
    expect([body.error.code, typeof body.detail]).toEqual(['unauthorized', 'string']);
    const health = await fetch(`${server.url}/health`);
    expect(await health.json()).toEqual({ ok: true });
  });

  it('shows a /v1 request in the AXME inbox, decided there, and an intent decided through /v1', async () => {
    const created = await fetch(`${server.url}/v1/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'Deploy', assignees: ['user:alice@example.com'] }),
    });
    const request = (await created.json()) as { id: string };
    const inbox = await axme(reviewerKey, 'GET', '/v1/inbox');
    contract.assert('api.inbox.list.response.v1', inbox.body);
    const thread = inbox.body.threads.find(
      (each: { countersign_request_id?: string; title: string }) => each.title === 'Deploy',
    );
    expect(thread).toBeDefined();
    await axme(reviewerKey, 'POST', `/v1/inbox/${thread.thread_id}/approve`, {});
    const read = await fetch(`${server.url}/v1/requests/${request.id}`, {
      headers: { authorization: `Bearer ${agentKey}` },
    });
    expect(((await read.json()) as { status: string }).status).toBe('approved');

    const id = await createIntent();
    const intent = await axme(agentKey, 'GET', `/v1/intents/${id}`);
    const decided = await fetch(
      `${server.url}/v1/requests/${intent.body.intent.countersign_request_id}/decisions`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${reviewerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'reject', reason: 'not now' }),
      },
    );
    expect(decided.status).toBe(200);
    const after = await axme(agentKey, 'GET', `/v1/intents/${id}`);
    expect(after.body.intent).toMatchObject({ status: 'FAILED', error: { reason: 'not now' } });
  });
});

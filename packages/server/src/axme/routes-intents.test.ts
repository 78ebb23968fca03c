import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AxmeContract } from '../test-support/axme-contract.js';
import { createHarness, type Harness, type Reply } from '../test-support/harness.js';

const contract = new AxmeContract();
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

/** Calls an AXME route the way the AXME SDKs do: the key as `x-api-key`. */
function axme(key: string, method: string, path: string, body?: unknown, headers = {}) {
  return h.call(undefined, method, path, body, { 'x-api-key': key, ...headers });
}

function intentBody(overrides: Record<string, unknown> = {}) {
  return {
    intent_type: 'intent.budget.approval.v1',
    correlation_id: randomUUID(),
    to_agent: 'agent://acme/prod/finance',
    payload: { amount: 32000 },
    human_task: {
      title: 'Approve the Q3 budget',
      task_type: 'approval',
      allowed_outcomes: ['approved', 'rejected'],
      assignees: ['alice'],
    },
    ...overrides,
  };
}

async function create(overrides: Record<string, unknown> = {}): Promise<string> {
  const reply = await axme(h.keys.agent, 'POST', '/v1/intents', intentBody(overrides));
  expect(reply.status, reply.text).toBe(200);
  contract.assert('api.intents.create.response.v1', reply.body);
  return reply.body.intent_id;
}

async function events(id: string, since = 0): Promise<Reply> {
  const reply = await axme(h.keys.agent, 'GET', `/v1/intents/${id}/events?since=${since}`);
  expect(reply.status).toBe(200);
  contract.assert('api.intents.events.list.response.v1', reply.body);
  return reply;
}

describe('AXME intents', () => {
  it('creates a waiting human task that a reviewer approves from the inbox', async () => {
    const id = await create();
    const read = await axme(h.keys.agent, 'GET', `/v1/intents/${id}`);
    contract.assert('api.intents.get.response.v1', read.body);
    expect(read.body.intent).toMatchObject({ status: 'WAITING', waiting_reason: 'WAITING_FOR_HUMAN' });

    const inbox = await axme(h.keys.alice, 'GET', '/v1/inbox');
    contract.assert('api.inbox.list.response.v1', inbox.body);
    expect(inbox.body.threads.map((thread: { thread_id: string }) => thread.thread_id)).toEqual([id]);
    expect((await axme(h.keys.carol, 'GET', '/v1/inbox')).body.threads).toEqual([]);

    const approved = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/approve`, { comment: 'ok' });
    expect(approved.status, approved.text).toBe(200);
    contract.assert('api.inbox.thread.response.v1', approved.body);
    expect(approved.body.thread.status).toBe('done');

    const list = await events(id);
    expect(list.body.events.map((event: { event_type: string }) => event.event_type)).toEqual([
      'intent.created',
      'intent.human_task_assigned',
      'intent.waiting',
      'intent.completed',
    ]);
    expect(list.body.events.map((event: { seq: number }) => event.seq)).toEqual([1, 2, 3, 4]);
    expect((await events(id, 3)).body.events.map((event: { seq: number }) => event.seq)).toEqual([4]);

    const done = await axme(h.keys.agent, 'GET', `/v1/intents/${id}`);
    expect(done.body.intent).toMatchObject({ status: 'COMPLETED', result: { outcome: 'approved' } });
    const again = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'already_decided' }, detail: expect.any(String) });
  });
});

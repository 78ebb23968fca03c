import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { axmeCall, intentBody } from '../test-support/axme-calls.js';
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

function axme(key: string, method: string, path: string, body?: unknown, headers = {}) {
  return axmeCall(h, key, method, path, body, headers);
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
  it('checks responses against the AXME schemas (a wrong one fails)', () => {
    expect(() => contract.assert('api.intents.create.response.v1', { ok: true })).toThrow(
      /required/,
    );
    expect(() =>
      contract.assert('api.intents.create.response.v1', {
        ok: true,
        intent_id: 'req_1',
        status: 'WAITING',
        created_at: new Date().toISOString(),
      }),
    ).toThrow(/uuid/);
  });

  it('creates a waiting human task that a reviewer approves from the inbox', async () => {
    const id = await create();
    const read = await axme(h.keys.agent, 'GET', `/v1/intents/${id}`);
    contract.assert('api.intents.get.response.v1', read.body);
    expect(read.body.intent).toMatchObject({
      status: 'WAITING',
      waiting_reason: 'WAITING_FOR_HUMAN',
    });

    const inbox = await axme(h.keys.alice, 'GET', '/v1/inbox');
    contract.assert('api.inbox.list.response.v1', inbox.body);
    expect(inbox.body.threads.map((thread: { thread_id: string }) => thread.thread_id)).toEqual([
      id,
    ]);
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
    expect((await events(id, 3)).body.events.map((event: { seq: number }) => event.seq)).toEqual([
      4,
    ]);

    const done = await axme(h.keys.agent, 'GET', `/v1/intents/${id}`);
    expect(done.body.intent).toMatchObject({
      status: 'COMPLETED',
      result: { outcome: 'approved' },
    });
    const again = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      error: { code: 'already_decided' },
      detail: expect.any(String),
    });
  });

  it('reports a rejection as FAILED with the reason, never as a timeout', async () => {
    const id = await create();
    const reply = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/reject`, {
      comment: 'too much',
    });
    expect(reply.status, reply.text).toBe(200);
    const read = await axme(h.keys.agent, 'GET', `/v1/intents/${id}`);
    contract.assert('api.intents.get.response.v1', read.body);
    expect(read.body.intent).toMatchObject({
      status: 'FAILED',
      error: { code: 'rejected', reason: 'too much' },
    });
    expect((await events(id)).body.events.at(-1)).toMatchObject({
      event_type: 'intent.failed',
      status: 'FAILED',
    });
  });

  it('times out at deadline_at as TIMED_OUT', async () => {
    const deadline = new Date(h.clock.now() + 60_000).toISOString();
    const id = await create({ deadline_at: deadline });
    await h.advance(60_000);
    const read = await axme(h.keys.agent, 'GET', `/v1/intents/${id}`);
    contract.assert('api.intents.get.response.v1', read.body);
    expect(read.body.intent).toMatchObject({ status: 'TIMED_OUT', error: { code: 'timed_out' } });
    expect((await events(id)).body.events.at(-1)).toMatchObject({
      event_type: 'intent.timed_out',
      status: 'TIMED_OUT',
    });
    const late = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/approve`, {});
    expect(late.status).toBe(409);
  });

  it('reminds after remind_after_seconds and escalates to escalate_to after the last reminder', async () => {
    const id = await create({
      remind_after_seconds: 60,
      remind_interval_seconds: 30,
      max_reminders: 2,
      escalate_to: 'bob',
    });
    expect((await axme(h.keys.bob, 'GET', '/v1/inbox')).body.threads).toEqual([]);
    await h.advance(60_000);
    await h.advance(30_000);
    const reminded = await axme(h.keys.agent, 'GET', `/v1/intents/${id}`);
    expect(reminded.body.intent.remind_count).toBe(2);
    expect((await axme(h.keys.bob, 'GET', '/v1/inbox')).body.threads).toEqual([]);
    await h.advance(30_000);
    const types = (await events(id)).body.events.map(
      (event: { event_type: string }) => event.event_type,
    );
    expect(types.slice(3)).toEqual(['intent.reminder', 'intent.reminder', 'intent.escalated']);
    const inbox = await axme(h.keys.bob, 'GET', '/v1/inbox');
    expect(inbox.body.threads.map((thread: { thread_id: string }) => thread.thread_id)).toEqual([
      id,
    ]);
    expect((await axme(h.keys.bob, 'POST', `/v1/inbox/${id}/approve`, {})).status).toBe(200);
  });

  it('validates form data against form_schema and completes with it', async () => {
    const id = await create({
      human_task: {
        title: 'Give the shipping address',
        task_type: 'provide_data',
        form_schema: {
          type: 'object',
          required: ['city'],
          properties: { city: { type: 'string' } },
          additionalProperties: false,
        },
      },
    });
    const bad = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/reply`, {
      message: JSON.stringify({ town: 'Oslo' }),
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('unprocessable');
    const notJson = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/reply`, { message: 'Oslo' });
    expect(notJson.status).toBe(400);
    expect((await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/approve`, {})).status).toBe(422);
    const good = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/reply`, {
      message: JSON.stringify({ city: 'Oslo' }),
    });
    expect(good.status, good.text).toBe(200);
    const read = await axme(h.keys.agent, 'GET', `/v1/intents/${id}`);
    expect(read.body.intent).toMatchObject({
      status: 'COMPLETED',
      result: { outcome: 'answered', data: { city: 'Oslo' } },
    });
  });

  it('enforces required_comment and allowed_outcomes in the inbox and on /v1 alike', async () => {
    const id = await create({
      human_task: {
        title: 'Confirm the wire',
        task_type: 'confirmation',
        allowed_outcomes: ['rejected'],
        required_comment: true,
      },
    });
    const approve = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/approve`, {
      comment: 'fine',
    });
    expect([approve.status, approve.body.error.code]).toEqual([422, 'unprocessable']);
    const requestId = (await axme(h.keys.agent, 'GET', `/v1/intents/${id}`)).body.intent
      .countersign_request_id;
    const viaV1 = await h.call(h.keys.alice, 'POST', `/v1/requests/${requestId}/decisions`, {
      outcome: 'approve',
      comment: 'fine',
    });
    expect(viaV1.status).toBe(422);
    const noComment = await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/approve`, {});
    expect(noComment.status).toBe(422);
    expect(
      (await axme(h.keys.alice, 'POST', `/v1/inbox/${id}/reject`, { comment: 'no' })).status,
    ).toBe(200);
  });

  it('replays a repeated Idempotency-Key with the same body and refuses another body with 409', async () => {
    const body = intentBody({ deadline_at: new Date(h.clock.now() + 3_600_000).toISOString() });
    const headers = { 'idempotency-key': 'budget-q3' };
    const first = await axme(h.keys.agent, 'POST', '/v1/intents', body, headers);
    h.clock.advance(1000);
    const second = await axme(h.keys.agent, 'POST', '/v1/intents', body, headers);
    expect(second.status).toBe(200);
    expect(second.body.intent_id).toBe(first.body.intent_id);
    const other = await axme(
      h.keys.agent,
      'POST',
      '/v1/intents',
      { ...body, payload: { amount: 1 } },
      headers,
    );
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_conflict']);
    expect(other.body.detail).toBe(other.body.error.message);
  });

  it('answers a stale expected_policy_generation with applied false and applies a current one', async () => {
    const id = await create({ remind_after_seconds: 60 });
    const generation = (await axme(h.keys.agent, 'GET', `/v1/intents/${id}`)).body.intent
      .policy_generation;
    const stale = await axme(h.keys.agent, 'POST', `/v1/intents/${id}/controls`, {
      controls_patch: { remind_after_seconds: 120 },
      expected_policy_generation: generation + 5,
    });
    expect(stale.body).toEqual({
      ok: true,
      applied: false,
      reason: 'stale_policy_generation',
      policy_generation: generation,
    });
    const controlled = await axme(h.keys.agent, 'POST', `/v1/intents/${id}/controls`, {
      controls_patch: { remind_after_seconds: 120 },
      expected_policy_generation: generation,
    });
    expect(controlled.body).toMatchObject({ applied: true, policy_generation: generation + 1 });
    const requestId = controlled.body.intent.countersign_request_id;
    const reminders = (await h.call(h.keys.agent, 'GET', `/v1/requests/${requestId}`)).body
      .reminders;
    expect(reminders).toEqual([new Date(h.clock.now() + 120_000).toISOString()]);
    const applied = await axme(h.keys.agent, 'POST', `/v1/intents/${id}/policy`, {
      grants_patch: { assignees: ['carol'] },
      expected_policy_generation: generation + 1,
    });
    expect(applied.body).toMatchObject({
      ok: true,
      applied: true,
      policy_generation: generation + 2,
    });
    expect((await axme(h.keys.carol, 'GET', '/v1/inbox')).body.threads).toHaveLength(1);
    const resume = await axme(h.keys.carol, 'POST', `/v1/intents/${id}/resume`, {
      approve_current_step: true,
      expected_policy_generation: generation + 1,
    });
    expect(resume.body).toMatchObject({ applied: false, reason: 'stale_policy_generation' });
    const resumed = await axme(h.keys.carol, 'POST', `/v1/intents/${id}/resume`, {
      expected_policy_generation: generation + 2,
    });
    expect(resumed.body).toMatchObject({ applied: true, intent: { status: 'COMPLETED' } });
  });

  it('waits an intent without a human task for its agent, which resolves it once', async () => {
    const id = await create({ human_task: undefined, to_agent: 'agent://acme/prod/other-bot' });
    const read = await axme(h.keys.agent2, 'GET', `/v1/intents/${id}`);
    expect(read.body.intent).toMatchObject({
      status: 'WAITING',
      waiting_reason: 'WAITING_FOR_AGENT',
    });
    expect((await axme(h.keys.alice, 'GET', '/v1/inbox')).body.threads).toEqual([]);
    const requestId = read.body.intent.countersign_request_id;
    const reviewer = await h.call(h.keys.alice, 'POST', `/v1/requests/${requestId}/decisions`, {
      outcome: 'respond',
      response: 'x',
    });
    expect(reviewer.status).toBe(403);
    const resolved = await axme(h.keys.agent2, 'POST', `/v1/intents/${id}/resolve`, {
      status: 'COMPLETED',
      result: { shipped: true },
    });
    expect(resolved.status, resolved.text).toBe(200);
    contract.assert('api.intents.resolve.response.v1', resolved.body);
    expect(resolved.body.intent.result).toEqual({ shipped: true });
    const again = await axme(h.keys.agent2, 'POST', `/v1/intents/${id}/resolve`, {
      status: 'CANCELED',
      reason: 'late',
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'already_decided']);
  });

  it('lets the requester cancel and reviewers complete a human task through resolve', async () => {
    const cancelled = await create();
    const cancel = await axme(h.keys.agent, 'POST', `/v1/intents/${cancelled}/resolve`, {
      status: 'CANCELED',
      reason: 'not needed',
    });
    contract.assert('api.intents.resolve.response.v1', cancel.body);
    expect(cancel.body.event).toMatchObject({ event_type: 'intent.canceled', status: 'CANCELED' });
    const id = await create();
    const byRequester = await axme(h.keys.agent, 'POST', `/v1/intents/${id}/resolve`, {
      status: 'COMPLETED',
      result: {},
    });
    expect(byRequester.status).toBe(403);
    const byReviewer = await axme(h.keys.alice, 'POST', `/v1/approvals/${id}/decision`, {
      decision: 'approve',
    });
    contract.assert('api.approvals.decision.response.v1', byReviewer.body);
  });
});

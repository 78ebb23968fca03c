import { fingerprint } from '@countersign/core/fingerprint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const payTool = {
  name: 'pay',
  args: { amount: 5, to: 'acme' },
  schema: {
    type: 'object',
    properties: { amount: { type: 'number', maximum: 100 }, to: { type: 'string' } },
    required: ['amount', 'to'],
    additionalProperties: false,
  },
};

describe('requests', () => {
  it('creates an approval with fingerprint, links and 201, then approves with the original args', async () => {
    const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Pay acme',
      tool: payTool,
    });
    expect(created.status).toBe(201);
    const request = created.body;
    expect(request).toMatchObject({ status: 'pending', version: 1, requester: 'agent:bot' });
    expect(request.fingerprint).toBe(fingerprint('pay', payTool.args));
    expect(request.links).toEqual({
      self: `/v1/requests/${request.id}`,
      wait: `/v1/requests/${request.id}/wait`,
      events: `/v1/requests/${request.id}/events`,
    });
    const decided = await h.call(h.keys.alice, 'POST', `/v1/requests/${request.id}/decisions`, {
      outcome: 'approve',
      comment: 'fine',
      expectedVersion: 1,
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('approved');
    expect(decided.body.resolution).toMatchObject({
      status: 'approved',
      by: ['user:alice'],
      args: payTool.args,
      fingerprint: request.fingerprint,
      edited: false,
      comment: 'fine',
    });
  });

  it('replays an Idempotency-Key with the same body and refuses another body', async () => {
    const headers = { 'idempotency-key': 'run-1:call-1' };
    const first = await h.call(h.keys.agent, 'POST', '/v1/requests', { action: 'A' }, headers);
    const again = await h.call(
      h.keys.agent,
      'POST',
      '/v1/requests',
      { action: 'A', kind: 'approval' },
      headers,
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await h.call(h.keys.agent, 'POST', '/v1/requests', { action: 'B' }, headers);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
    const list = await h.call(h.keys.admin, 'GET', '/v1/requests');
    expect(list.body.items).toHaveLength(1);
  });

  it('needs a quorum of distinct approvers; a rejection rejects', async () => {
    const { body } = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Deploy',
      assignees: ['group:ops'],
      quorum: 2,
    });
    const one = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(one.body.status).toBe('pending');
    const twice = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(twice.status).toBe(409);
    const two = await h.call(h.keys.bob, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(two.body.status).toBe('approved');
    expect(two.body.resolution.by).toEqual(['user:alice', 'user:bob']);

    const second = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Deploy 2',
      quorum: 2,
    });
    await h.call(h.keys.alice, 'POST', `/v1/requests/${second.body.id}/decisions`, {
      outcome: 'approve',
    });
    const rejected = await h.call(
      h.keys.carol,
      'POST',
      `/v1/requests/${second.body.id}/decisions`,
      {
        outcome: 'reject',
        reason: 'not today',
      },
    );
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      resolution: { reason: 'not today', by: ['user:carol'] },
    });
  });

  it('refuses stale versions and decisions on terminal requests with 409', async () => {
    const { body } = await h.call(h.keys.agent, 'POST', '/v1/requests', { action: 'X' });
    const stale = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'approve',
      expectedVersion: 7,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'reject',
      reason: 'no',
    });
    const late = await h.call(h.keys.bob, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('already_decided');
    const after = await h.call(h.keys.admin, 'GET', `/v1/requests/${body.id}`);
    expect(after.body.status).toBe('rejected');
  });

  it('validates edits against the tool schema and binds the approval to the edited args', async () => {
    const { body } = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Pay',
      tool: payTool,
    });
    const bad = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'edit',
      args: { amount: 500, to: 'acme' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('unprocessable');
    const edited = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'edit',
      args: { amount: 50, to: 'acme' },
    });
    expect(edited.body.resolution).toMatchObject({
      args: { amount: 50, to: 'acme' },
      fingerprint: fingerprint('pay', { amount: 50, to: 'acme' }),
      edited: true,
    });
    expect(edited.body.fingerprint).toBe(fingerprint('pay', payTool.args));
  });

  it('answers forms with a response validated against responseSchema', async () => {
    const { body } = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Pick a date',
      kind: 'form',
      responseSchema: {
        type: 'object',
        properties: { date: { type: 'string' } },
        required: ['date'],
      },
    });
    const approve = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(approve.status).toBe(422);
    const wrong = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'respond',
      response: { day: 3 },
    });
    expect(wrong.status).toBe(422);
    const right = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'respond',
      response: { date: '2030-02-01' },
    });
    expect(right.body).toMatchObject({
      status: 'answered',
      resolution: { response: { date: '2030-02-01' } },
    });
  });

  it('lets clarifications and reviews run their own way', async () => {
    const question = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Which account?',
      kind: 'clarification',
      question: 'Savings or checking?',
    });
    const answered = await h.call(
      h.keys.bob,
      'POST',
      `/v1/requests/${question.body.id}/decisions`,
      {
        outcome: 'respond',
        response: 'savings',
      },
    );
    expect(answered.body.resolution.response).toBe('savings');
    const review = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Review text',
      kind: 'review',
    });
    const approved = await h.call(h.keys.bob, 'POST', `/v1/requests/${review.body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(approved.body.status).toBe('approved');
  });

  it('cancels by the requester (never a rejection) and not by others', async () => {
    const { body } = await h.call(h.keys.agent, 'POST', '/v1/requests', { action: 'X' });
    const other = await h.call(h.keys.agent2, 'POST', `/v1/requests/${body.id}/cancel`);
    expect(other.status).toBe(404);
    const reviewer = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/cancel`);
    expect(reviewer.status).toBe(403);
    const cancelled = await h.call(h.keys.agent, 'POST', `/v1/requests/${body.id}/cancel`, {
      reason: 'done',
    });
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      resolution: { status: 'cancelled', reason: 'done' },
    });
  });

  it('lists with filters and cursor pages, newest first, only what the caller may see', async () => {
    for (let index = 0; index < 5; index++) {
      await h.call(h.keys.agent, 'POST', '/v1/requests', {
        action: `A${index}`,
        assignees: ['user:carol'],
      });
    }
    await h.call(h.keys.agent2, 'POST', '/v1/requests', {
      action: 'ops',
      assignees: ['group:ops'],
    });
    const page1 = await h.call(h.keys.carol, 'GET', '/v1/requests?limit=2&status=pending');
    expect(page1.body.items.map((r: { action: string }) => r.action)).toEqual(['A4', 'A3']);
    const page2 = await h.call(
      h.keys.carol,
      'GET',
      `/v1/requests?limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.items.map((r: { action: string }) => r.action)).toEqual(['A2', 'A1']);
    const page3 = await h.call(
      h.keys.carol,
      'GET',
      `/v1/requests?limit=2&cursor=${page2.body.nextCursor}`,
    );
    expect(page3.body).toMatchObject({ nextCursor: null });
    expect(page3.body.items).toHaveLength(1);
    const alice = await h.call(h.keys.alice, 'GET', '/v1/requests');
    expect(alice.body.items.map((r: { action: string }) => r.action)).toEqual(['ops']);
    const mine = await h.call(h.keys.agent2, 'GET', '/v1/requests');
    expect(mine.body.items).toHaveLength(1);
    const filtered = await h.call(
      h.keys.admin,
      'GET',
      '/v1/requests?assignee=group:ops&requester=agent:other-bot',
    );
    expect(filtered.body.items).toHaveLength(1);
    const badCursor = await h.call(h.keys.admin, 'GET', '/v1/requests?cursor=nope');
    expect(badCursor.status).toBe(400);
  });

  it('never lets the requester decide its own request', async () => {
    const { body } = await h.call(h.keys.admin, 'POST', '/v1/requests', { action: 'Self' });
    const self = await h.call(h.keys.admin, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(self.status).toBe(403);
    const other = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(other.body.status).toBe('approved');
  });

  it('answers /v1/me with the principal', async () => {
    const me = await h.call(h.keys.bob, 'GET', '/v1/me');
    expect(me.body).toEqual({
      principal: 'user:bob',
      role: 'reviewer',
      name: 'bob',
      groups: ['ops', 'finance'],
    });
    const none = await h.call(undefined, 'GET', '/v1/me');
    expect(none.status).toBe(401);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { axmeCall, intentBody } from '../test-support/axme-calls.js';
import { AxmeContract } from '../test-support/axme-contract.js';
import { createHarness, type Harness } from '../test-support/harness.js';

const contract = new AxmeContract();
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

async function create(overrides: Record<string, unknown> = {}): Promise<string> {
  const reply = await axmeCall(h, h.keys.agent, 'POST', '/v1/intents', intentBody(overrides));
  expect(reply.status, reply.text).toBe(200);
  return reply.body.intent_id;
}

describe('AXME inbox', () => {
  it('pages changes by cursor, showing only the caller’s human tasks', async () => {
    const first = await create();
    await create({ human_task: { title: 'For carol', assignees: ['carol'] } });
    const page = await axmeCall(h, h.keys.alice, 'GET', '/v1/inbox/changes?limit=1');
    contract.assert('api.inbox.changes.response.v1', page.body);
    expect(
      page.body.changes.map((change: { thread: { thread_id: string } }) => change.thread.thread_id),
    ).toEqual([first]);
    const rest = await axmeCall(
      h,
      h.keys.alice,
      'GET',
      `/v1/inbox/changes?cursor=${page.body.next_cursor}`,
    );
    contract.assert('api.inbox.changes.response.v1', rest.body);
    expect(rest.body.changes).toEqual([]);
    expect(rest.body.has_more).toBe(false);
    await axmeCall(h, h.keys.alice, 'POST', `/v1/inbox/${first}/approve`, {});
    const later = await axmeCall(
      h,
      h.keys.alice,
      'GET',
      `/v1/inbox/changes?cursor=${rest.body.next_cursor}`,
    );
    expect(
      later.body.changes.map((change: { thread: { status: string } }) => change.thread.status),
    ).toEqual(['done']);
    const done = await axmeCall(h, h.keys.alice, 'GET', '/v1/inbox?status=done');
    expect(done.body.threads).toHaveLength(1);
    expect(
      (await axmeCall(h, h.keys.alice, 'GET', '/v1/inbox?status=pending')).body.threads,
    ).toEqual([]);
  });

  it('answers a clarification with the reply, and refuses a reply on an approval', async () => {
    const question = await create({
      human_task: { title: 'Which region?', task_type: 'clarification', assignees: ['alice'] },
    });
    const approval = await create();
    const refused = await axmeCall(h, h.keys.alice, 'POST', `/v1/inbox/${approval}/reply`, {
      message: 'hi',
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'unprocessable']);
    const answered = await axmeCall(h, h.keys.alice, 'POST', `/v1/inbox/${question}/reply`, {
      message: 'eu-west-1',
    });
    contract.assert('api.inbox.thread.response.v1', answered.body);
    const intent = await axmeCall(h, h.keys.agent, 'GET', `/v1/intents/${question}`);
    expect(intent.body.intent.result).toMatchObject({ outcome: 'answered', data: 'eu-west-1' });
  });

  it('delegates as the requester, keeps messages (audit) and has no read state', async () => {
    const id = await create();
    const asReviewer = await axmeCall(h, h.keys.alice, 'POST', `/v1/inbox/${id}/delegate`, {
      delegate_to: 'carol',
    });
    expect(asReviewer.status).toBe(403);
    const delegated = await axmeCall(
      h,
      h.keys.admin,
      'POST',
      `/v1/inbox/${id}/delegate?owner_agent=user:alice`,
      {
        delegate_to: 'carol',
      },
    );
    expect(delegated.status, delegated.text).toBe(200);
    expect(delegated.body.thread.human_task.assignees).toEqual(['user:carol']);
    expect((await axmeCall(h, h.keys.carol, 'GET', '/v1/inbox')).body.threads).toHaveLength(1);
    const removed = await axmeCall(h, h.keys.carol, 'POST', `/v1/inbox/${id}/messages/delete`, {
      mode: 'both',
    });
    contract.assert('api.inbox.messages.delete.response.v1', removed.body);
    expect(removed.body.deleted_count).toBe(0);
    const read = await axmeCall(h, h.keys.carol, 'POST', `/v1/inbox/${id}/read`);
    contract.assert('api.inbox.thread.response.v1', read.body);
    const other = await axmeCall(h, h.keys.carol, 'GET', '/v1/inbox?owner_agent=user:alice');
    expect(other.status).toBe(403);
  });

  it('never lets the requester decide its own intent, and hides others’ threads', async () => {
    const id = await create({ human_task: { title: 'Any reviewer' } });
    const own = await axmeCall(h, h.keys.agent, 'POST', `/v1/approvals/${id}/decision`, {
      decision: 'approve',
    });
    expect(own.status).toBe(403);
    const stranger = await axmeCall(h, h.keys.agent2, 'GET', `/v1/inbox/${id}`);
    expect([stranger.status, stranger.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('AXME SDK README shapes', () => {
  it('takes a human_task with notify_email and no title, and an approval with a note', async () => {
    const reviewer = await h.key({ role: 'reviewer', name: 'approver@example.com' });
    const id = await create({
      intent_type: 'intent.budget.approval.v1',
      human_task: {
        task_type: 'approval',
        notify_email: 'approver@example.com',
        allowed_outcomes: ['approved', 'rejected'],
      },
    });
    const inbox = await axmeCall(h, reviewer, 'GET', '/v1/inbox');
    contract.assert('api.inbox.list.response.v1', inbox.body);
    expect(inbox.body.threads).toMatchObject([
      { thread_id: id, title: 'intent.budget.approval.v1' },
    ]);
    const approved = await axmeCall(h, reviewer, 'POST', `/v1/inbox/${id}/approve`, {
      note: 'LGTM',
    });
    expect(approved.status, approved.text).toBe(200);
    const intent = await axmeCall(h, h.keys.agent, 'GET', `/v1/intents/${id}`);
    expect(intent.body.intent.result).toMatchObject({ outcome: 'approved', comment: 'LGTM' });
  });
});

describe('AXME errors and headers', () => {
  it('answers bad input in the AXME error shape with a fitting 4xx and echoes X-Trace-Id', async () => {
    const cases: [string, string, unknown, Record<string, string>, number, string][] = [
      [
        'POST',
        '/v1/intents',
        'nope',
        { 'content-type': 'text/plain' },
        415,
        'unsupported_media_type',
      ],
      ['POST', '/v1/intents', '{"intent_type":', {}, 400, 'invalid_json'],
      ['POST', '/v1/intents', { ...intentBody(), surprise: 1 }, {}, 400, 'validation_failed'],
      ['POST', '/v1/intents', intentBody({ intent_type: 'Budget' }), {}, 400, 'validation_failed'],
      [
        'POST',
        '/v1/intents',
        intentBody({ human_task: { title: 'x', task_type: 'attach_file' } }),
        {},
        422,
        'unprocessable',
      ],
      ['POST', '/v1/intents', intentBody({ escalate_to: 'bob' }), {}, 400, 'validation_failed'],
      ['GET', '/v1/intents/not-a-uuid', undefined, {}, 404, 'not_found'],
      ['GET', '/v1/intents/00000000-0000-4000-8000-000000000000', undefined, {}, 404, 'not_found'],
      ['GET', '/v1/intents/x/nothing', undefined, {}, 404, 'not_found'],
      ['GET', '/v1/inbox/changes?cursor=zzz', undefined, {}, 400, 'validation_failed'],
    ];
    for (const [method, path, body, headers, status, code] of cases) {
      const reply = await axmeCall(h, h.keys.agent, method, path, body, {
        'x-trace-id': 'trace-123',
        ...headers,
      });
      expect([method, path, reply.status, reply.body.error?.code]).toEqual([
        method,
        path,
        status,
        code,
      ]);
      expect(reply.body.detail).toBe(reply.body.error.message);
      expect(typeof reply.body.error.details).toBe('object');
      expect(reply.headers.get('x-trace-id')).toBe('trace-123');
    }
    const unknownKey = await axmeCall(h, 'csk_0000000000000000_x', 'GET', '/v1/inbox');
    expect([unknownKey.status, unknownKey.body.error.code]).toEqual([401, 'unauthorized']);
  });
});

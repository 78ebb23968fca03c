import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';

describe('a change after the deadline, before the scheduler ran', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function createWithDeadline(): Promise<string> {
    const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Drop table',
      tool: { name: 'sql', args: { query: 'DROP TABLE t' } },
      assignees: ['user:alice'],
      timeout: '1m',
    });
    expect(created.status, created.text).toBe(201);
    return created.body.id;
  }

  async function auditTypes(id: string): Promise<string[]> {
    const reply = await h.call(h.keys.admin, 'GET', `/v1/audit?requestId=${id}`);
    return reply.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).type);
  }

  it('refuses an approval 2 ms late with 409 and expires the request through the audited path', async () => {
    const id = await createWithDeadline();
    h.clock.advance(60_002);
    const late = await h.call(h.keys.alice, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'approve',
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('already_decided');
    expect(late.body.error.details).toMatchObject({ requestId: id, status: 'expired' });
    const stored = await h.call(h.keys.alice, 'GET', `/v1/requests/${id}`);
    expect(stored.body.status).toBe('expired');
    expect(stored.body.resolution).toMatchObject({ status: 'expired', by: [] });
    expect(stored.body.decisions).toEqual([]);
    expect(await auditTypes(id)).toEqual(['created', 'expired']);
    // The scheduler's own job finds nothing left to do: the request expired once.
    await h.scheduler.runDue();
    expect(await auditTypes(id)).toEqual(['created', 'expired']);
  });

  it('refuses an edit, a cancel and a deadline change at the deadline itself', async () => {
    const edit = await createWithDeadline();
    const cancel = await createWithDeadline();
    const update = await createWithDeadline();
    h.clock.advance(60_000);
    const edited = await h.call(h.keys.alice, 'POST', `/v1/requests/${edit}/decisions`, {
      outcome: 'edit',
      args: { query: 'SELECT 1' },
    });
    const cancelled = await h.call(h.keys.agent, 'POST', `/v1/requests/${cancel}/cancel`, {});
    const extended = await h.call(h.keys.agent, 'PATCH', `/v1/requests/${update}`, {
      timeout: '1h',
      expectedVersion: 1,
    });
    for (const reply of [edited, cancelled, extended]) {
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('already_decided');
      expect(reply.body.error.details.status).toBe('expired');
    }
    for (const id of [edit, cancel, update]) {
      expect((await h.call(h.keys.admin, 'GET', `/v1/requests/${id}`)).body.status).toBe('expired');
    }
  });

  it('still accepts a decision 1 ms before the deadline', async () => {
    const id = await createWithDeadline();
    h.clock.advance(59_999);
    const approved = await h.call(h.keys.alice, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'approve',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });
});

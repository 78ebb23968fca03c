import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

async function approvedRequest(): Promise<string> {
  const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
    action: 'Pay acme',
    tool: { name: 'pay', args: { amount: 5 } },
  });
  await h.call(h.keys.alice, 'POST', `/v1/requests/${created.body.id}/decisions`, {
    outcome: 'approve',
  });
  return created.body.id;
}

const report = (id: string, body: Record<string, unknown>, key = h.keys.agent) =>
  h.call(key, 'POST', `/v1/requests/${id}/execution`, body);

describe('execution reports', () => {
  it('records executing then succeeded, each as an event, an audit entry and on the request', async () => {
    const id = await approvedRequest();
    const started = await report(id, { state: 'executing', attempt: 'a1' });
    expect(started.status).toBe(200);
    expect(started.body.execution).toMatchObject({
      state: 'executing',
      attempt: 'a1',
      by: 'agent:bot',
    });
    expect((await report(id, { state: 'executing', attempt: 'a1' })).body.version).toBe(
      started.body.version,
    );
    const done = await report(id, { state: 'succeeded', attempt: 'a1' });
    expect(done.body.execution).toMatchObject({
      state: 'succeeded',
      finishedAt: expect.any(String),
    });
    const events = await h.context.store.read((tx) => tx.listEvents(0, id, 100));
    expect(events.map((event) => event.type)).toEqual([
      'created',
      'decided',
      'execution',
      'execution',
    ]);
    expect(events.at(-1)?.data).toEqual({ state: 'succeeded', attempt: 'a1' });
    const audit = (await h.call(h.keys.admin, 'GET', `/v1/audit?requestId=${id}`)).text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(
      audit.filter((entry) => entry.type === 'execution').map((entry) => entry.data.state),
    ).toEqual(['executing', 'succeeded']);
  });

  it('never hands an approval out twice: a second attempt gets a 409', async () => {
    const id = await approvedRequest();
    const [first, second] = await Promise.all([
      report(id, { state: 'executing', attempt: 'a1' }),
      report(id, { state: 'executing', attempt: 'a2' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body.error.code).toBe('conflict');
    const again = await report(id, { state: 'executing', attempt: 'a3' });
    expect(again.body.error.message).toContain('this call is already running or ran');
  });

  it('keeps a failure short, and refuses reports out of order, from others or on pending requests', async () => {
    const id = await approvedRequest();
    expect((await report(id, { state: 'succeeded', attempt: 'a1' })).status).toBe(409);
    expect((await report(id, { state: 'executing', attempt: 'a1' }, h.keys.agent2)).status).toBe(
      404,
    );
    expect((await report(id, { state: 'executing', attempt: 'a1' }, h.keys.alice)).status).toBe(
      403,
    );
    await report(id, { state: 'executing', attempt: 'a1' });
    const failed = await report(id, { state: 'failed', attempt: 'a1', error: 'x'.repeat(5000) });
    expect(failed.body.execution.error).toHaveLength(1000);
    expect((await report(id, { state: 'succeeded', attempt: 'a1' })).status).toBe(409);
    const pending = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Pay',
      tool: { name: 'pay', args: {} },
    });
    expect((await report(pending.body.id, { state: 'executing', attempt: 'a1' })).status).toBe(409);
    expect((await report(id, { state: 'done', attempt: 'a1' })).status).toBe(400);
  });
});

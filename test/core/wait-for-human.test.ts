import { waitForHuman } from '@countersign/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './e2e-harness.ts';

const HOUR = 3_600_000;
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ manualClock: true });
});
afterEach(async () => {
  await h.close();
});

describe('waitForHuman against the real server', () => {
  it('resolves with the approval, and a restarted caller with the same id re-attaches', async () => {
    const options = {
      task: 'approval' as const,
      id: 'refund-42',
      title: 'Refund order 42',
      assignee: 'alice',
      timeout: '1h',
    };
    const controller = new AbortController();
    const first = waitForHuman({ ...options, service: h.agent, signal: controller.signal });
    const request = await h.nextPending();
    expect(request).toMatchObject({ kind: 'approval', assignees: ['user:alice'] });
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: 'aborted' });

    const second = waitForHuman({ ...options, service: h.agent });
    await h.alice.decide(request.id, { outcome: 'approve', comment: 'fine' });
    await expect(second).resolves.toMatchObject({
      outcome: 'approved',
      by: ['user:alice'],
      comment: 'fine',
    });
    expect(await h.allRequests()).toHaveLength(1);
  });

  it('resolves rejected with the reason, and expired (not rejected) at the deadline', async () => {
    const rejected = waitForHuman({ service: h.agent, task: 'review', timeout: '1h' });
    await h.bob.decide((await h.nextPending()).id, { outcome: 'reject', reason: 'not safe' });
    await expect(rejected).resolves.toMatchObject({ outcome: 'rejected', reason: 'not safe' });

    const expiring = waitForHuman({ service: h.agent, task: 'approval', timeout: '1h' });
    await h.nextPending();
    await h.server.clock.advance(HOUR);
    await expect(expiring).resolves.toMatchObject({ outcome: 'expired' });
  });

  it('answers a form with data validated against its schema', async () => {
    const answering = waitForHuman({
      service: h.agent,
      task: 'form',
      title: 'Shipping address',
      timeout: '1h',
      form: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
    });
    const request = await h.nextPending();
    await expect(
      h.carol.decide(request.id, { outcome: 'respond', response: {} }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await h.carol.decide(request.id, { outcome: 'respond', response: { city: 'Oslo' } });
    await expect(answering).resolves.toMatchObject({ outcome: 'answered', data: { city: 'Oslo' } });
  });
});

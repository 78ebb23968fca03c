import { describe, expect, it } from 'vitest';
import { createFakeApprovalService } from '../test/index.js';
import { waitForHuman } from './wait-for-human.js';

describe('waitForHuman', () => {
  it('asks with the mapped options and resolves approved with who and the comment', async () => {
    const service = createFakeApprovalService();
    const waiting = waitForHuman({
      service,
      task: 'approval',
      title: 'Ship release 1.4',
      assignee: 'alice',
      timeout: '30m',
      escalateTo: 'group:leads',
    });
    const request = await service.waitForRequest();
    expect(request).toMatchObject({
      kind: 'approval',
      action: 'Ship release 1.4',
      assignees: ['user:alice'],
    });
    expect(service.calls[0]?.body).toMatchObject({
      timeout: '30m',
      escalation: { after: '15m', assignees: ['group:leads'] },
    });
    await service.decide(
      request.id,
      { outcome: 'approve', comment: 'go' },
      { principal: 'user:alice' },
    );
    await expect(waiting).resolves.toMatchObject({
      outcome: 'approved',
      by: ['user:alice'],
      comment: 'go',
    });
  });

  it('resolves rejected with the reason, answered with the form data, expired and cancelled', async () => {
    const service = createFakeApprovalService({
      onCreate: (request) =>
        request.action === 'reject me'
          ? { outcome: 'reject', reason: 'too risky' }
          : request.kind === 'form'
            ? { outcome: 'respond', response: { city: 'Oslo' } }
            : undefined,
    });
    await expect(
      waitForHuman({ service, task: 'approval', title: 'reject me', timeout: '1h' }),
    ).resolves.toMatchObject({ outcome: 'rejected', reason: 'too risky' });
    await expect(
      waitForHuman({
        service,
        task: 'form',
        timeout: '1h',
        form: { type: 'object', properties: { city: { type: 'string' } } },
      }),
    ).resolves.toMatchObject({ outcome: 'answered', data: { city: 'Oslo' } });

    const expiring = waitForHuman({ service, task: 'review', title: 'expire me', timeout: '1h' });
    service.expire((await service.waitForRequest((r) => r.action === 'expire me')).id);
    await expect(expiring).resolves.toMatchObject({ outcome: 'expired' });

    const cancelling = waitForHuman({
      service,
      task: 'clarification',
      title: 'cancel',
      timeout: '1h',
    });
    const open = await service.waitForRequest((r) => r.action === 'cancel');
    await service.cancel(open.id, { reason: 'not needed' });
    await expect(cancelling).resolves.toMatchObject({ outcome: 'cancelled', reason: 'not needed' });
  });

  it('re-attaches to the same request for the same id, and asks anew without one', async () => {
    const service = createFakeApprovalService();
    const options = { service, task: 'approval' as const, id: 'invoice-42', timeout: '1h' };
    const controller = new AbortController();
    const first = waitForHuman({ ...options, signal: controller.signal });
    const request = await service.waitForRequest();
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: 'aborted' });
    const second = waitForHuman(options);
    await service.decide(request.id, { outcome: 'approve' });
    await expect(second).resolves.toMatchObject({ outcome: 'approved' });
    expect(service.requests()).toHaveLength(1);
    const creates = service.calls.filter((call) => call.method === 'create');
    expect(creates[0]?.idempotencyKey).toBe(creates[1]?.idempotencyKey);

    const fresh = waitForHuman({ service, task: 'approval', timeout: '1h' });
    await service.waitForRequest((r) => r.id !== request.id);
    expect(service.requests()).toHaveLength(2);
    await service.decide(service.requests()[1]?.id as string, { outcome: 'approve' });
    await fresh;
  });

  it('throws on bad options before asking anyone', async () => {
    const service = createFakeApprovalService();
    await expect(
      waitForHuman({ service, task: 'approval', timeout: 'soon' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(
      waitForHuman({ service, task: 'approval', timeout: '1h', assignee: 'bad name' }),
    ).rejects.toThrow(/assignees/);
    expect(service.calls).toEqual([]);
  });
});

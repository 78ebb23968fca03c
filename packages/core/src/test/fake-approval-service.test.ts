import { describe, expect, it } from 'vitest';
import { CountersignError, ServiceUnavailableError } from '../errors/index.js';
import { fingerprint } from '../fingerprint/index.js';
import { approvalRequestSchema, requestEventSchema } from '../protocol/index.js';
import { createFakeApprovalService } from './fake-approval-service.js';

const deploy = { action: 'Deploy v2', tool: { name: 'deploy', args: { env: 'prod' } } };

describe('createFakeApprovalService', () => {
  it('creates protocol-valid requests and replays idempotent creates', async () => {
    const fake = createFakeApprovalService();
    const first = await fake.create(deploy, { idempotencyKey: 'k1' });
    expect(approvalRequestSchema.parse(first)).toEqual(first);
    expect(first.fingerprint).toBe(fingerprint('deploy', { env: 'prod' }));
    const again = await fake.create(deploy, { idempotencyKey: 'k1' });
    expect(again.id).toBe(first.id);
    expect(fake.requests()).toHaveLength(1);
    await expect(
      fake.create({ ...deploy, action: 'Other' }, { idempotencyKey: 'k1' }),
    ).rejects.toMatchObject({ code: 'idempotency_conflict', status: 409 });
    expect(fake.calls.map((call) => call.idempotencyKey)).toEqual(['k1', 'k1', 'k1']);
  });

  it('rejects invalid bodies with validation_failed', async () => {
    const fake = createFakeApprovalService();
    await expect(fake.create({ action: '' })).rejects.toMatchObject({
      code: 'validation_failed',
      status: 400,
    });
    const request = await fake.create(deploy);
    await expect(fake.decide(request.id, { outcome: 'reject' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('resolves a wait when a reviewer approves, with events along the way', async () => {
    const fake = createFakeApprovalService();
    const request = await fake.create(deploy);
    const seen: string[] = [];
    const waiting = fake.wait(request.id, { onEvent: (event) => seen.push(event.type) });
    await fake.decide(request.id, { outcome: 'approve', comment: 'ok' }, { principal: 'user:al' });
    const done = await waiting;
    expect(done.status).toBe('approved');
    expect(done.resolution).toMatchObject({
      by: ['user:al'],
      args: { env: 'prod' },
      edited: false,
      fingerprint: request.fingerprint,
    });
    expect(seen).toEqual(['decided']);
    for (const event of fake.events(request.id)) requestEventSchema.parse(event);
  });

  it('binds an edit to the fingerprint of the edited args', async () => {
    const fake = createFakeApprovalService();
    const request = await fake.create(deploy);
    const done = await fake.decide(request.id, { outcome: 'edit', args: { env: 'staging' } });
    expect(done.resolution).toMatchObject({
      status: 'approved',
      edited: true,
      args: { env: 'staging' },
      fingerprint: fingerprint('deploy', { env: 'staging' }),
    });
  });

  it('needs quorum distinct approvers, and refuses decisions on terminal requests', async () => {
    const fake = createFakeApprovalService();
    const request = await fake.create({ ...deploy, quorum: 2 });
    const once = await fake.decide(request.id, { outcome: 'approve' }, { principal: 'user:a' });
    expect(once.status).toBe('pending');
    // As on the server: the same approver cannot count twice.
    await expect(
      fake.decide(request.id, { outcome: 'approve' }, { principal: 'user:a' }),
    ).rejects.toMatchObject({ code: 'conflict', status: 409 });
    const done = await fake.decide(request.id, { outcome: 'approve' }, { principal: 'user:b' });
    expect(done.status).toBe('approved');
    await expect(fake.cancel(request.id)).rejects.toMatchObject({ code: 'already_decided' });
  });

  it('checks expectedVersion', async () => {
    const fake = createFakeApprovalService();
    const request = await fake.create(deploy);
    await expect(
      fake.decide(request.id, { outcome: 'approve', expectedVersion: 7 }),
    ).rejects.toMatchObject({ code: 'version_conflict', status: 409 });
  });

  it('expires, cancels, responds and times out a wait still pending', async () => {
    const fake = createFakeApprovalService();
    const a = await fake.create(deploy);
    const pending = await fake.wait(a.id, { timeoutMs: 5 });
    expect(pending.status).toBe('pending');
    const waiting = fake.wait(a.id);
    fake.expire(a.id);
    expect((await waiting).status).toBe('expired');
    const b = await fake.create(deploy);
    expect((await fake.cancel(b.id, { reason: 'no longer needed' })).status).toBe('cancelled');
    const c = await fake.create({ action: 'Which env?', kind: 'clarification' });
    const answered = await fake.decide(c.id, { outcome: 'respond', response: 'prod' });
    expect(answered.resolution).toMatchObject({ status: 'answered', response: 'prod' });
  });

  it('rejects an aborted wait with an aborted error', async () => {
    const fake = createFakeApprovalService();
    const request = await fake.create(deploy);
    const controller = new AbortController();
    const waiting = fake.wait(request.id, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toSatisfy((error) => CountersignError.hasCode(error, 'aborted'));
  });

  it('scripts reviewers with onCreate and finds requests with waitForRequest', async () => {
    const fake = createFakeApprovalService({
      onCreate: (request) =>
        request.action === 'auto' ? { outcome: 'reject', reason: 'never' } : undefined,
    });
    expect((await fake.create({ action: 'auto' })).status).toBe('rejected');
    const found = fake.waitForRequest((request) => request.action === 'later');
    await fake.create({ action: 'later' });
    expect((await found).action).toBe('later');
  });

  it('lists with filters and a cursor, updates, and fails on demand', async () => {
    const fake = createFakeApprovalService();
    for (const action of ['a', 'b', 'c']) await fake.create({ action, assignees: ['user:x'] });
    const page = await fake.list({ assignee: 'user:x', limit: 2 });
    // Newest first, as the server lists them.
    expect(page.items.map((item) => item.action)).toEqual(['c', 'b']);
    const rest = await fake.list({ assignee: 'user:x', cursor: page.nextCursor ?? '' });
    expect(rest).toMatchObject({ items: [{ action: 'a' }], nextCursor: null });
    const first = page.items[0]!;
    const updated = await fake.update(first.id, { expectedVersion: 1, assignees: ['user:y'] });
    expect(updated).toMatchObject({ version: 2, assignees: ['user:y'] });
    fake.failWith(new ServiceUnavailableError());
    await expect(fake.get(first.id)).rejects.toBeInstanceOf(ServiceUnavailableError);
    fake.failWith(undefined);
    await expect(fake.get('nope')).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });
});

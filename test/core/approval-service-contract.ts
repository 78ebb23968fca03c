import {
  type ApprovalRequest,
  type ApprovalService,
  type DecisionInput,
  fingerprint,
} from '@countersign/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** The two reviewers every harness knows, both in `group:ops`. */
export type Reviewer = 'alice' | 'bob';

/**
 * One approval service and the reviewer's side of it. The agent is `agent:bot`; the reviewers are
 * `user:alice` and `user:bob`, both in `group:ops`.
 */
export interface ApprovalServiceHarness {
  /** What the gate and the adapters call. */
  agent: ApprovalService;
  /** Records `reviewer`'s decision. */
  decide(reviewer: Reviewer, id: string, body: DecisionInput): Promise<ApprovalRequest>;
  /** Lets the deadline of `id` (created with a `timeout` under 2 h) pass. */
  expire(id: string): Promise<void>;
  dispose(): Promise<void>;
}

/** Starts a fresh harness, empty of requests. */
export type ApprovalServiceFactory = () => Promise<ApprovalServiceHarness>;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The request with what differs between services by design (ids and times) replaced by
 * placeholders, so everything else can be compared exactly: a field one side adds, drops or spells
 * differently fails.
 */
function stable(value: unknown, requestId?: string): unknown {
  const decisionIds = new Map<string, string>();
  return JSON.parse(JSON.stringify(value), (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (ISO_TIME.test(value)) return '<time>';
    if (/^dec_/.test(value)) {
      if (!decisionIds.has(value)) decisionIds.set(value, `<decision ${decisionIds.size + 1}>`);
      return decisionIds.get(value);
    }
    if (requestId === undefined) return value;
    if (value === requestId) return '<id>';
    return value.replaceAll(requestId, '<id>');
  });
}

const links = {
  self: '/v1/requests/<id>',
  wait: '/v1/requests/<id>/wait',
  events: '/v1/requests/<id>/events',
};
const deploy = { name: 'deploy', args: { env: 'prod', version: '2.4.1' } };
const canary = { env: 'canary', version: '2.4.1' };
const minutes = (ms: number) => Math.round(ms / 60_000);
const since = (request: ApprovalRequest, at: string) =>
  minutes(Date.parse(at) - Date.parse(request.createdAt));

/**
 * The behaviour every {@link ApprovalService} shows the gate, run against the fake in
 * `@countersign/core/test` and against `CountersignClient` on the real server, so the fake cannot
 * drift from the server.
 */
export function describeApprovalServiceContract(name: string, start: ApprovalServiceFactory): void {
  describe(`approval service contract: ${name}`, () => {
    let h: ApprovalServiceHarness;
    beforeEach(async () => {
      h = await start();
    });
    afterEach(async () => {
      await h.dispose();
    });

    it('creates a pending request with every field the server stores, duplicate assignees removed', async () => {
      const created = await h.agent.create({
        action: 'Deploy v2.4.1',
        tool: deploy,
        context: { ticket: 'OPS-1' },
        assignees: ['group:ops', 'user:alice', 'group:ops'],
        runId: 'run-1',
        toolCallId: 'call-1',
        metadata: { source: 'contract' },
      });
      expect(stable(created, created.id)).toEqual({
        id: '<id>',
        kind: 'approval',
        status: 'pending',
        version: 1,
        action: 'Deploy v2.4.1',
        context: { ticket: 'OPS-1' },
        assignees: ['group:ops', 'user:alice'],
        quorum: 1,
        requester: 'agent:bot',
        createdAt: '<time>',
        updatedAt: '<time>',
        reminders: [],
        decisions: [],
        links,
        tool: deploy,
        fingerprint: fingerprint(deploy.name, deploy.args),
        runId: 'run-1',
        toolCallId: 'call-1',
        metadata: { source: 'contract' },
      });
      expect(await h.agent.get(created.id)).toEqual(created);
    });

    it('turns timeout, reminders and escalation into times, reminders sorted', async () => {
      const created = await h.agent.create({
        action: 'Rotate keys',
        timeout: '1h',
        reminders: ['10m', '5m'],
        escalation: { after: '30m', assignees: ['group:leads'] },
      });
      expect(since(created, created.deadline as string)).toBe(60);
      expect(created.reminders.map((at) => since(created, at))).toEqual([5, 10]);
      expect(created.escalation).toEqual({
        at: expect.any(String),
        assignees: ['group:leads'],
        mode: 'add',
        fired: false,
      });
      expect(since(created, created.escalation?.at as string)).toBe(30);
    });

    it('replays an idempotent create and refuses the key with another body', async () => {
      const body = { action: 'Deploy', tool: deploy };
      const first = await h.agent.create(body, { idempotencyKey: 'run-1:call-1' });
      expect(await h.agent.create(body, { idempotencyKey: 'run-1:call-1' })).toEqual(first);
      await expect(
        h.agent.create({ ...body, action: 'Other' }, { idempotencyKey: 'run-1:call-1' }),
      ).rejects.toMatchObject({ code: 'idempotency_conflict', status: 409 });
      const other = await h.agent.create(body, { idempotencyKey: 'run-1:call-2' });
      expect(other.id).not.toBe(first.id);
    });

    it('refuses invalid bodies with validation_failed and unknown ids with not_found', async () => {
      await expect(h.agent.create({ action: ' ' })).rejects.toMatchObject({
        code: 'validation_failed',
        status: 400,
      });
      const { id } = await h.agent.create({ action: 'X' });
      await expect(h.decide('alice', id, { outcome: 'reject' })).rejects.toMatchObject({
        code: 'validation_failed',
        status: 400,
      });
      const missing = 'req_missing';
      for (const call of [
        () => h.agent.get(missing),
        () => h.agent.wait(missing, { timeoutMs: 10 }),
        () => h.agent.cancel(missing),
        () => h.agent.update(missing, { expectedVersion: 1, timeout: '1h' }),
        () => h.decide('alice', missing, { outcome: 'approve' }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: 'not_found', status: 404 });
      }
    });

    it('approves a tool call, binding the decision and the resolution to its fingerprint', async () => {
      const created = await h.agent.create({ action: 'Deploy', tool: deploy });
      const approved = await h.decide('alice', created.id, { outcome: 'approve', comment: 'go' });
      const bound = fingerprint(deploy.name, deploy.args);
      expect(stable(approved, approved.id)).toMatchObject({ status: 'approved', version: 2 });
      expect(stable(approved.decisions)).toEqual([
        {
          id: '<decision 1>',
          outcome: 'approve',
          principal: 'user:alice',
          decidedAt: '<time>',
          comment: 'go',
          fingerprint: bound,
        },
      ]);
      // A server that signs receipts adds one; the rest of the resolution is the contract.
      const { receipt, receiptId, ...resolution } = approved.resolution ?? {};
      expect(stable(resolution)).toEqual({
        status: 'approved',
        at: '<time>',
        by: ['user:alice'],
        comment: 'go',
        args: deploy.args,
        fingerprint: bound,
        edited: false,
      });
      if (receipt !== undefined) {
        expect(receipt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
        expect(receiptId).toMatch(/^rct_/);
      }
    });

    it('rejects with the reason, and refuses any later change with already_decided', async () => {
      const created = await h.agent.create({ action: 'Delete the bucket' });
      const rejected = await h.decide('alice', created.id, {
        outcome: 'reject',
        reason: ' risky ',
      });
      expect(stable(rejected.resolution)).toEqual({
        status: 'rejected',
        at: '<time>',
        by: ['user:alice'],
        reason: 'risky',
      });
      const refused = { code: 'already_decided', status: 409 };
      await expect(h.decide('bob', created.id, { outcome: 'approve' })).rejects.toMatchObject(
        refused,
      );
      await expect(h.agent.cancel(created.id)).rejects.toMatchObject(refused);
      await expect(
        h.agent.update(created.id, { expectedVersion: 2, timeout: '1h' }),
      ).rejects.toMatchObject(refused);
    });

    it('approves edited args under their own fingerprint; the same args are not an edit', async () => {
      const edited = await h.agent.create({ action: 'Deploy', tool: deploy });
      const approved = await h.decide('alice', edited.id, { outcome: 'edit', args: canary });
      expect(approved.resolution).toMatchObject({
        status: 'approved',
        args: canary,
        fingerprint: fingerprint(deploy.name, canary),
        edited: true,
      });
      expect(approved.decisions[0]).toMatchObject({
        args: canary,
        fingerprint: fingerprint(deploy.name, canary),
      });
      const same = await h.agent.create({ action: 'Deploy again', tool: deploy });
      const unchanged = await h.decide('alice', same.id, { outcome: 'edit', args: deploy.args });
      expect(unchanged.resolution).toMatchObject({ edited: false, args: deploy.args });
      const plain = await h.agent.create({ action: 'No tool' });
      await expect(
        h.decide('alice', plain.id, { outcome: 'edit', args: canary }),
      ).rejects.toMatchObject({ code: 'unprocessable', status: 422 });
    });

    it('answers clarifications with respond and refuses to approve them', async () => {
      const question = await h.agent.create({
        kind: 'clarification',
        action: 'Which region?',
        question: 'Where should the replica go?',
      });
      await expect(h.decide('alice', question.id, { outcome: 'approve' })).rejects.toMatchObject({
        code: 'unprocessable',
        status: 422,
      });
      const answered = await h.decide('alice', question.id, { outcome: 'respond', response: 'eu' });
      expect(stable(answered.resolution)).toEqual({
        status: 'answered',
        at: '<time>',
        by: ['user:alice'],
        response: 'eu',
      });
      expect(answered.question).toBe('Where should the replica go?');
    });

    it('needs a quorum of distinct approvers of the same arguments', async () => {
      const created = await h.agent.create({ action: 'Deploy', tool: deploy, quorum: 2 });
      const first = await h.decide('alice', created.id, { outcome: 'approve' });
      expect(first).toMatchObject({ status: 'pending', version: 2 });
      expect(first.resolution).toBeUndefined();
      await expect(h.decide('alice', created.id, { outcome: 'approve' })).rejects.toMatchObject({
        code: 'conflict',
        status: 409,
      });
      // Bob approves other arguments: alice's approval was for the original ones.
      const edited = await h.decide('bob', created.id, { outcome: 'edit', args: canary });
      expect(edited).toMatchObject({ status: 'pending', version: 3 });
      const approved = await h.decide('alice', created.id, { outcome: 'approve' });
      expect(approved.decisions.map((decision) => decision.fingerprint)).toEqual([
        fingerprint(deploy.name, deploy.args),
        fingerprint(deploy.name, canary),
        fingerprint(deploy.name, canary),
      ]);
      expect(approved.resolution).toMatchObject({
        status: 'approved',
        by: ['user:bob', 'user:alice'],
        args: canary,
        edited: true,
      });
    });

    it('refuses a stale expectedVersion with version_conflict', async () => {
      const created = await h.agent.create({ action: 'Deploy', quorum: 2 });
      await h.decide('alice', created.id, { outcome: 'approve', expectedVersion: 1 });
      const stale = { code: 'version_conflict', status: 409 };
      await expect(
        h.decide('bob', created.id, { outcome: 'approve', expectedVersion: 1 }),
      ).rejects.toMatchObject(stale);
      await expect(h.agent.cancel(created.id, { expectedVersion: 1 })).rejects.toMatchObject(stale);
      await expect(
        h.agent.update(created.id, { expectedVersion: 1, assignees: ['group:ops'] }),
      ).rejects.toMatchObject(stale);
    });

    it('waits until a decision, answers a terminal request at once, and gives up pending', async () => {
      const created = await h.agent.create({ action: 'Deploy' });
      expect(await h.agent.wait(created.id, { timeoutMs: 50 })).toMatchObject({
        status: 'pending',
        version: 1,
      });
      const waiting = h.agent.wait(created.id);
      const decided = await h.decide('alice', created.id, { outcome: 'approve' });
      expect(await waiting).toEqual(decided);
      expect(await h.agent.wait(created.id, { timeoutMs: 50 })).toEqual(decided);
    });

    it('cancels as the requester, never a rejection', async () => {
      const created = await h.agent.create({ action: 'Deploy' });
      const cancelled = await h.agent.cancel(created.id, { reason: 'superseded' });
      expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 });
      expect(stable(cancelled.resolution)).toEqual({
        status: 'cancelled',
        at: '<time>',
        by: ['agent:bot'],
        reason: 'superseded',
      });
      const plain = await h.agent.create({ action: 'Deploy 2' });
      expect((await h.agent.cancel(plain.id)).resolution).not.toHaveProperty('reason');
    });

    it('updates deadline, assignees (duplicates removed) and reminders (sorted) of a pending request', async () => {
      const created = await h.agent.create({ action: 'Deploy', timeout: '1h' });
      const base = Date.parse(created.createdAt);
      const later = (minutesFromCreate: number) =>
        new Date(base + minutesFromCreate * 60_000).toISOString().replace('Z', '+00:00');
      const updated = await h.agent.update(created.id, {
        expectedVersion: 1,
        deadline: later(120),
        assignees: ['user:alice', 'group:ops', 'user:alice'],
        reminders: [later(30), later(15)],
      });
      expect(updated).toMatchObject({ status: 'pending', version: 2 });
      expect(updated.assignees).toEqual(['user:alice', 'group:ops']);
      expect(updated.deadline).toBe(new Date(base + 120 * 60_000).toISOString());
      expect(updated.reminders).toEqual([
        new Date(base + 15 * 60_000).toISOString(),
        new Date(base + 30 * 60_000).toISOString(),
      ]);
      const cleared = await h.agent.update(created.id, { expectedVersion: 2, deadline: null });
      expect(cleared).not.toHaveProperty('deadline');
      expect(await h.agent.get(created.id)).toEqual(cleared);
    });

    it('expires a request at its deadline: expired, never a rejection', async () => {
      const created = await h.agent.create({ action: 'Deploy', timeout: '1h' });
      await h.expire(created.id);
      const expired = await h.agent.get(created.id);
      expect(expired).toMatchObject({ status: 'expired', version: 2 });
      expect(stable(expired.resolution)).toEqual({
        status: 'expired',
        at: '<time>',
        by: [],
      });
      await expect(h.decide('alice', created.id, { outcome: 'approve' })).rejects.toMatchObject({
        code: 'already_decided',
        status: 409,
      });
    });

    it('lists newest first, filtered, one page at a time', async () => {
      const ids: string[] = [];
      for (const [index, assignees] of [[], ['group:ops'], ['user:bob'], ['group:ops']].entries()) {
        ids.push((await h.agent.create({ action: `Deploy ${index}`, assignees })).id);
      }
      await h.decide('bob', ids[2] as string, { outcome: 'approve' });
      const newestFirst = [...ids].reverse();
      const first = await h.agent.list({ limit: 3 });
      expect(first.items.map((request) => request.id)).toEqual(newestFirst.slice(0, 3));
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await h.agent.list({ limit: 3, cursor: first.nextCursor as string });
      expect(second).toMatchObject({ nextCursor: null });
      expect(second.items.map((request) => request.id)).toEqual(newestFirst.slice(3));
      const pending = await h.agent.list({ status: 'pending' });
      expect(pending.items.map((request) => request.id)).toEqual([ids[3], ids[1], ids[0]]);
      const ops = await h.agent.list({ assignee: 'group:ops' });
      expect(ops.items.map((request) => request.id)).toEqual([ids[3], ids[1]]);
      expect((await h.agent.list({ requester: 'agent:bot', status: 'approved' })).items).toEqual([
        await h.agent.get(ids[2] as string),
      ]);
    });
  });
}

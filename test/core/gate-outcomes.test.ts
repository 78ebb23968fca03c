import { fingerprint } from '@countersign/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectApiError, type Harness, recordingTool, startHarness } from './e2e-harness.ts';
import { e2ePolicy } from './e2e-policy.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('gate outcomes against the real server', () => {
  it('runs an allowed call without creating a request', async () => {
    const tool = recordingTool();
    const before = (await h.allRequests()).length;
    const decision = await tool.call(h.gate(e2ePolicy), {
      toolName: 'get_balance',
      args: { account: 'acc_1' },
      runId: 'run-allow',
      toolCallId: 'call-1',
    });
    expect(decision).toMatchObject({ outcome: 'allow', rule: 'reads-are-free', edited: false });
    expect(decision).not.toHaveProperty('requestId');
    expect(tool.runs).toEqual([{ account: 'acc_1' }]);
    expect(await h.allRequests()).toHaveLength(before);
  });

  it('denies by policy with the rule message and creates no request', async () => {
    const tool = recordingTool();
    const decision = await tool.call(h.gate(e2ePolicy), {
      toolName: 'db__drop_table',
      args: { table: 'users' },
      runId: 'run-deny',
    });
    expect(decision).toEqual({
      outcome: 'deny',
      reason: 'policy',
      rule: 'never-drop',
      message: 'Dropping tables is not allowed here; ask a human to do it.',
    });
    expect(tool.runs).toEqual([]);
    expect(await h.allRequests()).toEqual([]);
  });

  it('require → approve runs the exact arguments, bound to the approved fingerprint', async () => {
    const tool = recordingTool();
    const args = { amount: 250, to: 'acc_9', memo: 'Café ☕' };
    const checking = tool.call(h.gate(e2ePolicy), {
      toolName: 'transfer_funds',
      args,
      runId: 'run-approve',
      toolCallId: 'call-1',
      context: { user: 'dana' },
    });
    const request = await h.nextPending();
    expect(request).toMatchObject({
      kind: 'approval',
      requester: 'agent:bot',
      assignees: ['group:ops'],
      tool: { name: 'transfer_funds', args },
      context: { user: 'dana' },
      runId: 'run-approve',
      toolCallId: 'call-1',
    });
    expect(request.fingerprint).toBe(fingerprint('transfer_funds', args));
    await h.alice.decide(request.id, { outcome: 'approve', comment: 'ok' });
    const decision = await checking;
    expect(decision).toEqual({
      outcome: 'allow',
      args,
      edited: false,
      fingerprint: fingerprint('transfer_funds', args),
      requestId: request.id,
      rule: 'transfers',
      approvedBy: ['user:alice'],
      comment: 'ok',
      // The server's signed proof of this approval, for the tool to check.
      receipt: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      receiptId: expect.stringMatching(/^rct_/),
    });
    expect(tool.runs).toEqual([args]);
  });

  it('require → reject denies with the reviewer reason in the message', async () => {
    const tool = recordingTool();
    const checking = tool.call(h.gate(e2ePolicy), {
      toolName: 'transfer_funds',
      args: { amount: 9000, to: 'acc_unknown' },
      runId: 'run-reject',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    await h.bob.decide(request.id, { outcome: 'reject', reason: 'unknown beneficiary' });
    const decision = await checking;
    expect(decision).toMatchObject({
      outcome: 'deny',
      reason: 'rejected',
      requestId: request.id,
      rejectionReason: 'unknown beneficiary',
    });
    if (decision.outcome !== 'deny') throw new Error('expected a deny');
    expect(decision.message).toContain('rejected');
    expect(decision.message).toContain('unknown beneficiary');
    expect(tool.runs).toEqual([]);
  });

  it('a cancelled request denies with reason cancelled, not as a rejection', async () => {
    const tool = recordingTool();
    const checking = tool.call(h.gate(e2ePolicy), {
      toolName: 'transfer_funds',
      args: { amount: 10, to: 'acc_2' },
      runId: 'run-cancel',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    const cancelled = await h.agent.cancel(request.id, { reason: 'user changed their mind' });
    expect(cancelled.status).toBe('cancelled');
    const decision = await checking;
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'cancelled', requestId: request.id });
    if (decision.outcome !== 'deny') throw new Error('expected a deny');
    expect(decision.message).toContain('not a rejection');
    expect(tool.runs).toEqual([]);
  });

  it('quorum 2 needs two distinct reviewers; the same one twice does not count', async () => {
    const tool = recordingTool();
    const args = { version: 'v2.4.1', env: 'prod' };
    const checking = tool.call(h.gate(e2ePolicy), {
      toolName: 'deploy',
      args,
      runId: 'run-quorum',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    expect(request.quorum).toBe(2);
    await h.alice.decide(request.id, { outcome: 'approve' });
    const again = h.alice.decide(request.id, { outcome: 'approve' });
    await expectApiError(again, 409);
    expect((await h.agent.get(request.id)).status).toBe('pending');
    expect(tool.runs).toEqual([]);
    await h.bob.decide(request.id, { outcome: 'approve' });
    const decision = await checking;
    expect(decision).toMatchObject({ outcome: 'allow', args, requestId: request.id });
    if (decision.outcome !== 'allow') throw new Error('expected an allow');
    expect([...(decision.approvedBy ?? [])].sort()).toEqual(['user:alice', 'user:bob']);
    expect(tool.runs).toEqual([args]);
  });

  it('a reviewer outside the assignees cannot see or decide the request', async () => {
    const checking = h.gate(e2ePolicy).check({
      toolName: 'transfer_funds',
      args: { amount: 5, to: 'acc_3' },
      runId: 'run-outsider',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    await expectApiError(h.carol.decide(request.id, { outcome: 'approve' }), 404);
    expect((await h.agent.get(request.id)).status).toBe('pending');
    await h.alice.decide(request.id, { outcome: 'approve' });
    expect((await checking).outcome).toBe('allow');
  });
});

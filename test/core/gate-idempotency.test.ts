import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, recordingTool, startHarness } from './e2e-harness.ts';
import { e2ePolicy } from './e2e-policy.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const transfer = (runId: string, toolCallId: string, amount = 300) => ({
  toolName: 'transfer_funds',
  args: { amount, to: 'acc_7' },
  runId,
  toolCallId,
});

describe('idempotency end to end', () => {
  it('two gates (a restarted agent) with the same run, call id and args share one request', async () => {
    const tool = recordingTool();
    const first = tool.call(h.gate(e2ePolicy), transfer('run-a', 'call-1'));
    const request = await h.nextPending();
    const second = tool.call(h.gate(e2ePolicy), transfer('run-a', 'call-1'));
    // A third agent instance that only peeks sees the same pending request.
    const peek = await h
      .gate(e2ePolicy)
      .check({ ...transfer('run-a', 'call-1'), waitTimeoutMs: 0 });
    expect(peek).toMatchObject({ outcome: 'pending', requestId: request.id });
    expect(await h.allRequests()).toHaveLength(1);
    await h.alice.decide(request.id, { outcome: 'approve' });
    const decisions = await Promise.all([first, second]);
    for (const decision of decisions) {
      expect(decision).toMatchObject({ outcome: 'allow', requestId: request.id });
    }
    expect(tool.runs).toHaveLength(2);
    expect(await h.allRequests()).toHaveLength(1);
  });

  it('pending after waitTimeoutMs, then a later check after approval allows without a new request', async () => {
    const tool = recordingTool();
    const pending = await tool.call(h.gate(e2ePolicy, { waitTimeoutMs: 50 }), {
      ...transfer('run-b', 'call-1'),
    });
    expect(pending).toMatchObject({ outcome: 'pending' });
    if (pending.outcome !== 'pending') throw new Error('expected pending');
    expect(pending.request.status).toBe('pending');
    expect(pending.message).toContain(pending.requestId);
    expect(tool.runs).toEqual([]);

    await h.bob.decide(pending.requestId, { outcome: 'approve' });
    const later = await tool.call(h.gate(e2ePolicy, { waitTimeoutMs: 50 }), {
      ...transfer('run-b', 'call-1'),
    });
    expect(later).toMatchObject({ outcome: 'allow', requestId: pending.requestId });
    expect(tool.runs).toHaveLength(1);
    expect(await h.allRequests()).toHaveLength(1);
  });

  it('the same call id with different args is a different request', async () => {
    const gate = h.gate(e2ePolicy, { waitTimeoutMs: 0 });
    const one = await gate.check(transfer('run-c', 'call-1', 300));
    const two = await gate.check(transfer('run-c', 'call-1', 301));
    expect(one.outcome).toBe('pending');
    expect(two.outcome).toBe('pending');
    if (one.outcome !== 'pending' || two.outcome !== 'pending') throw new Error('expected pending');
    expect(two.requestId).not.toBe(one.requestId);
    expect(await h.allRequests()).toHaveLength(2);
  });

  it('a call identical to a rejected one in the same run is denied without a new request', async () => {
    const tool = recordingTool();
    const gate = h.gate(e2ePolicy);
    const checking = tool.call(gate, transfer('run-d', 'call-1'));
    const request = await h.nextPending();
    await h.alice.decide(request.id, { outcome: 'reject', reason: 'over budget' });
    expect(await checking).toMatchObject({ outcome: 'deny', reason: 'rejected' });

    const repeat = await tool.call(gate, transfer('run-d', 'call-2'));
    expect(repeat).toMatchObject({
      outcome: 'deny',
      reason: 'rejected',
      requestId: request.id,
      rejectionReason: 'over budget',
    });
    if (repeat.outcome !== 'deny') throw new Error('expected a deny');
    expect(repeat.message).toContain('already rejected');
    expect(repeat.message).toContain('over budget');
    expect(await h.allRequests()).toHaveLength(1);

    // A restarted agent re-attaches to the rejected request through the idempotency key.
    const restarted = await tool.call(h.gate(e2ePolicy), transfer('run-d', 'call-1'));
    expect(restarted).toMatchObject({ outcome: 'deny', reason: 'rejected', requestId: request.id });
    expect(await h.allRequests()).toHaveLength(1);

    // Another run, or other args, ask again.
    const otherRun = await gate.check({ ...transfer('run-e', 'call-1'), waitTimeoutMs: 0 });
    const otherArgs = await gate.check({ ...transfer('run-d', 'call-3', 250), waitTimeoutMs: 0 });
    expect(otherRun.outcome).toBe('pending');
    expect(otherArgs.outcome).toBe('pending');
    expect(await h.allRequests()).toHaveLength(3);
    expect(tool.runs).toEqual([]);
  });
});

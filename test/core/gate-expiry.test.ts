import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, recordingTool, startHarness } from './e2e-harness.ts';
import { e2ePolicy } from './e2e-policy.ts';

const HOUR = 3_600_000;
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ manualClock: true });
});
afterEach(async () => {
  await h.close();
});

describe('expiry on the server clock (manual)', () => {
  it('an expired request denies with reason expired, saying it is not a rejection', async () => {
    const tool = recordingTool();
    const gate = h.gate(e2ePolicy);
    const input = {
      toolName: 'transfer_funds',
      args: { amount: 700, to: 'acc_5' },
      runId: 'run-expire',
      toolCallId: 'call-1',
    };
    const checking = tool.call(gate, input);
    const request = await h.nextPending();
    expect(Date.parse(request.deadline ?? '')).toBe(h.server.clock.now() + HOUR);
    await h.server.clock.advance(HOUR - 1000);
    expect((await h.agent.get(request.id)).status).toBe('pending');
    await h.server.clock.advance(1000);
    const decision = await checking;
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'expired', requestId: request.id });
    if (decision.outcome !== 'deny') throw new Error('expected a deny');
    expect(decision.message).toContain('this is not a rejection');
    expect(decision).not.toHaveProperty('rejectionReason');
    expect((await h.agent.get(request.id)).status).toBe('expired');
    expect(tool.runs).toEqual([]);

    // An expiry is not remembered like a rejection: the same call may ask again.
    const retry = tool.call(gate, { ...input, toolCallId: 'call-2' });
    const second = await h.nextPending();
    expect(second.id).not.toBe(request.id);
    await h.alice.decide(second.id, { outcome: 'approve' });
    expect(await retry).toMatchObject({ outcome: 'allow', requestId: second.id });
    expect(tool.runs).toHaveLength(1);
  });

  it('under onTimeout: allow an expired request lets the call run, marked expired', async () => {
    const tool = recordingTool();
    const args = { list: 'weekly' };
    const checking = tool.call(h.gate(e2ePolicy), {
      toolName: 'send_digest',
      args,
      runId: 'run-expire-allow',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    await h.server.clock.advance(30 * 60_000);
    expect(await checking).toMatchObject({
      outcome: 'allow',
      args,
      edited: false,
      expired: true,
      requestId: request.id,
      rule: 'digest-runs-on-timeout',
    });
    expect(tool.runs).toEqual([args]);
  });

  it('a decision before the deadline wins over a later clock advance', async () => {
    const checking = h.gate(e2ePolicy).check({
      toolName: 'transfer_funds',
      args: { amount: 1, to: 'acc_6' },
      runId: 'run-in-time',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    await h.server.clock.advance(HOUR - 1);
    await h.bob.decide(request.id, { outcome: 'reject', reason: 'wrong account' });
    await h.server.clock.advance(HOUR);
    expect(await checking).toMatchObject({ outcome: 'deny', reason: 'rejected' });
    expect((await h.agent.get(request.id)).status).toBe('rejected');
  });
});

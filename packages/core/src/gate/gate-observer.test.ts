import { describe, expect, it } from 'vitest';
import {
  createFakeApprovalService,
  decideNext,
  testPolicy,
} from '../test-support/gate-fixtures.js';
import { createGate } from './create-gate.js';
import type { GateDecisionEvent } from './gate-observer.js';

describe('gate: onDecision', () => {
  it("reports the policy's action, the gate's answer and the time taken of every check", async () => {
    const events: GateDecisionEvent[] = [];
    const service = createFakeApprovalService();
    const gate = createGate({
      policy: testPolicy,
      service,
      onDecision: (event) => events.push(event),
    });
    await gate.check({ toolName: 'get_user', args: {} });
    await gate.check({ toolName: 'drop_table', args: {} });
    const asked = gate.check({ toolName: 'transfer_funds', args: { amount: 5000, to: 'a' } });
    await decideNext(service, { outcome: 'reject', reason: 'no' });
    expect((await asked).outcome).toBe('deny');
    expect(events.map(({ durationMs, ...rest }) => rest)).toEqual([
      { toolName: 'get_user', action: 'allow', outcome: 'allow', rule: 'reads' },
      {
        toolName: 'drop_table',
        action: 'deny',
        outcome: 'deny',
        reason: 'policy',
        rule: 'no-drops',
      },
      {
        toolName: 'transfer_funds',
        action: 'require',
        outcome: 'deny',
        reason: 'rejected',
        rule: 'big-transfers',
      },
    ]);
    expect(events.every((event) => event.durationMs >= 0)).toBe(true);
  });

  it('keeps answering when the listener throws, and refuses a listener that is no function', async () => {
    const gate = createGate({
      policy: testPolicy,
      onDecision: () => {
        throw new Error('metrics are down');
      },
    });
    expect((await gate.check({ toolName: 'get_user', args: {} })).outcome).toBe('allow');
    expect(() => createGate({ onDecision: 'count' as never })).toThrow(
      /onDecision must be a function/,
    );
  });
});

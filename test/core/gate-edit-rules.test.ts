import type { CountersignClient } from '@countersign/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clientFor,
  expectApiError,
  type Harness,
  recordingTool,
  startHarness,
} from './e2e-harness.ts';
import { transferRulesPolicy } from './edit-rule-policy.ts';

let h: Harness;
let frank: CountersignClient;
let fiona: CountersignClient;
let omar: CountersignClient;
beforeEach(async () => {
  h = await startHarness();
  const key = (name: string, groups: string[]) =>
    h.server.createKey({ role: 'reviewer', name, groups });
  frank = clientFor(h.server.url, await key('frank', ['finance']));
  fiona = clientFor(h.server.url, await key('fiona', ['finance']));
  // omar reviews for both groups: the server lets him make the edit, the gate asks again.
  omar = clientFor(h.server.url, await key('omar', ['ops', 'finance']));
});
afterEach(async () => {
  await h.close();
});

const small = { amount: 500, to: 'acc_1' };
const inflated = { amount: 999_999, to: 'acc_1' };

function startTransfer(runId: string) {
  const tool = recordingTool();
  const checking = tool.call(h.gate(transferRulesPolicy), {
    toolName: 'transfer_funds',
    args: small,
    runId,
    toolCallId: 'call-1',
  });
  return { tool, checking };
}

describe('an edit that lands under another require rule, against the real server', () => {
  it('the server refuses it from an ops reviewer who is not in finance; nothing runs', async () => {
    const { tool, checking } = startTransfer('run-refused');
    const request = await h.nextPending();
    expect(request.policy).toMatchObject({ rule: 'small' });
    await expectApiError(
      h.alice.decide(request.id, { outcome: 'edit', args: inflated }),
      403,
      'forbidden',
    );
    await h.alice.decide(request.id, { outcome: 'reject', reason: 'no' });
    expect(await checking).toMatchObject({ outcome: 'deny', reason: 'rejected' });
    expect(tool.runs).toEqual([]);
  });

  it('an edit the server accepts is asked again under the new rule: two finance approvals run it', async () => {
    const { tool, checking } = startTransfer('run-reask');
    const first = await h.nextPending();
    await omar.decide(first.id, { outcome: 'edit', args: inflated });
    const second = await h.nextPending();
    expect(second).toMatchObject({
      assignees: ['group:finance'],
      quorum: 2,
      tool: { args: inflated },
      metadata: { policyRule: 'big', reaskOf: first.id },
      policy: { rule: 'big' },
    });
    expect(second.deadline).toBeDefined();
    // omar's edit was his approval under "small"; it does not count towards "big".
    await expectApiError(h.alice.decide(second.id, { outcome: 'approve' }), 404, 'not_found');
    await frank.decide(second.id, { outcome: 'approve' });
    expect(tool.runs).toEqual([]);
    await fiona.decide(second.id, { outcome: 'approve' });
    const decision = await checking;
    expect(decision).toMatchObject({
      outcome: 'allow',
      args: inflated,
      edited: true,
      requestId: second.id,
      reaskedFrom: first.id,
      rule: 'big',
      approvedBy: ['user:frank', 'user:fiona'],
    });
    expect(decision.outcome === 'allow' && decision.message).toContain('rule "big"');
    expect(tool.runs).toEqual([inflated]);
  });

  it('a second edit that leaves the rule again is refused, and asking stops', async () => {
    const { tool, checking } = startTransfer('run-escape');
    const first = await h.nextPending();
    await omar.decide(first.id, { outcome: 'edit', args: inflated });
    const second = await h.nextPending();
    const back = { amount: 20, to: 'acc_2' };
    // frank is not in ops, so the server refuses his edit back under "small".
    await expectApiError(
      frank.decide(second.id, { outcome: 'edit', args: back }),
      403,
      'forbidden',
    );
    const olga = clientFor(
      h.server.url,
      await h.server.createKey({ role: 'reviewer', name: 'olga', groups: ['ops', 'finance'] }),
    );
    await omar.decide(second.id, { outcome: 'edit', args: back });
    await olga.decide(second.id, { outcome: 'edit', args: back });
    expect(await checking).toMatchObject({
      outcome: 'deny',
      reason: 'policy',
      rule: 'small',
      requestId: second.id,
      reaskedFrom: first.id,
    });
    expect(tool.runs).toEqual([]);
    expect(await h.allRequests()).toHaveLength(2);
  });
});

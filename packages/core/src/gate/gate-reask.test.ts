import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from '../fingerprint/index.js';
import { definePolicy } from '../policy/parse-policy.js';
import type { ApprovalRequest, DecisionInput } from '../protocol/index.js';
import { createFakeApprovalService } from '../test/index.js';
import { createGate } from './create-gate.js';

/** The policy: small transfers need one ops approver, big ones two from finance. */
const policy = definePolicy({
  version: 1,
  default: 'deny',
  rules: [
    { name: 'never-huge', when: 'args.amount > 5000000', action: 'deny' },
    {
      name: 'small',
      tools: ['transfer_funds'],
      when: 'args.amount <= 1000',
      action: 'require',
      approval: { assignees: ['group:ops'] },
    },
    {
      name: 'big',
      tools: ['transfer_funds'],
      when: 'args.amount > 1000',
      action: 'require',
      approval: { assignees: ['group:finance'], quorum: 2, timeout: '4h' },
    },
  ],
});

const call = {
  toolName: 'transfer_funds',
  args: { amount: 500, to: 'acc_1' },
  runId: 'run-1',
  toolCallId: 'call-1',
};
const inflated = { amount: 999_999, to: 'acc_1' };

/** A fake whose n-th request is decided by `script[n]` (nothing left: it stays pending). */
function scripted(...script: DecisionInput[][]) {
  let created = 0;
  const service = createFakeApprovalService({ onCreate: () => undefined });
  const create = service.create.bind(service);
  service.create = async (body, options) => {
    const request = await create(body, options);
    const decisions = script[created] ?? [];
    created += 1;
    let latest: ApprovalRequest = request;
    for (const [index, decision] of decisions.entries()) {
      latest = await service.decide(request.id, decision, { principal: `user:r${index}` });
    }
    return latest;
  };
  return service;
}

const creates = (service: ReturnType<typeof scripted>) =>
  service.calls.filter((entry) => entry.method === 'create');

describe('gate: an approved edit that lands under another require rule', () => {
  it('does not count: the gate asks again under that rule and runs only once it approves', async () => {
    const service = scripted(
      [{ outcome: 'edit', args: inflated }],
      [{ outcome: 'approve' }, { outcome: 'approve' }],
    );
    const decision = await createGate({ policy, service }).check(call);
    expect(decision).toMatchObject({
      outcome: 'allow',
      args: inflated,
      edited: true,
      fingerprint: fingerprint('transfer_funds', inflated),
      requestId: 'req_000002',
      reaskedFrom: 'req_000001',
      rule: 'big',
      approvedBy: ['user:r0', 'user:r1'],
    });
    expect(decision.outcome === 'allow' && decision.message).toContain('rule "big"');
    const [, second] = creates(service);
    expect(second?.body).toMatchObject({
      action: `Run transfer_funds with ${canonicalJson(inflated)}`,
      assignees: ['group:finance'],
      quorum: 2,
      timeout: '4h',
      tool: { name: 'transfer_funds', args: inflated },
      metadata: { policyRule: 'big', reaskOf: 'req_000001' },
      policy: { rule: 'big' },
    });
    // The new request follows the edited call, so a restarted agent re-attaches to it.
    expect(second?.idempotencyKey).toBe(
      `cs-gate-${createHash('sha256')
        .update(canonicalJson(['run-1', 'call-1', fingerprint('transfer_funds', inflated)]))
        .digest('hex')}`,
    );
  });

  it('a rejection under the new rule denies, says why, and is not remembered as a rejection of the original call', async () => {
    const service = scripted(
      [{ outcome: 'edit', args: inflated }],
      [{ outcome: 'reject', reason: 'too much' }],
      [{ outcome: 'approve' }],
    );
    const gate = createGate({ policy, service });
    const decision = await gate.check(call);
    expect(decision).toMatchObject({
      outcome: 'deny',
      reason: 'rejected',
      rejectionReason: 'too much',
      requestId: 'req_000002',
      reaskedFrom: 'req_000001',
    });
    const message = decision.outcome === 'deny' ? decision.message : '';
    expect(message).toContain('asked again under that rule');
    expect(message).toContain('too much');
    // Without a tool call id the original call is asked afresh, not refused from memory.
    const { toolCallId: _id, ...again } = call;
    expect(await gate.check(again)).toMatchObject({ outcome: 'allow', requestId: 'req_000003' });
  });

  it('asks again at most once: a second edit that leaves the rule again is refused', async () => {
    const service = scripted(
      [{ outcome: 'edit', args: inflated }],
      [
        { outcome: 'edit', args: { amount: 10, to: 'acc_9' } },
        { outcome: 'edit', args: { amount: 10, to: 'acc_9' } },
      ],
    );
    const decision = await createGate({ policy, service }).check(call);
    expect(decision).toMatchObject({
      outcome: 'deny',
      reason: 'policy',
      rule: 'small',
      requestId: 'req_000002',
      reaskedFrom: 'req_000001',
    });
    expect(decision.outcome === 'deny' && decision.message).toContain('asked again once');
    expect(creates(service)).toHaveLength(2);
  });

  it('an edit within the same rule is approved as before, with one request', async () => {
    const edited = { amount: 800, to: 'acc_1' };
    const service = scripted([{ outcome: 'edit', args: edited }]);
    const decision = await createGate({ policy, service }).check(call);
    expect(decision).toMatchObject({ outcome: 'allow', args: edited, edited: true, rule: 'small' });
    expect(decision).not.toHaveProperty('reaskedFrom');
    expect(creates(service)).toHaveLength(1);
  });

  it('an edit into a deny rule is refused as before', async () => {
    const service = scripted([{ outcome: 'edit', args: { amount: 6_000_000, to: 'acc_1' } }]);
    const decision = await createGate({ policy, service }).check(call);
    expect(decision).toMatchObject({
      outcome: 'deny',
      reason: 'policy',
      rule: 'never-huge',
      requestId: 'req_000001',
    });
    expect(creates(service)).toHaveLength(1);
  });

  it('with waitTimeoutMs the re-asked request comes back pending, and the same call re-attaches', async () => {
    const service = scripted([{ outcome: 'edit', args: inflated }]);
    const gate = createGate({ policy, service, defaultWaitTimeoutMs: 0 });
    const first = await gate.check(call);
    expect(first).toMatchObject({ outcome: 'pending', requestId: 'req_000002' });
    expect(first.outcome === 'pending' && first.message).toContain('rule "big"');
    for (const principal of ['user:f1', 'user:f2']) {
      await service.decide('req_000002', { outcome: 'approve' }, { principal });
    }
    expect(await gate.check(call)).toMatchObject({
      outcome: 'allow',
      args: inflated,
      requestId: 'req_000002',
      reaskedFrom: 'req_000001',
      approvedBy: ['user:f1', 'user:f2'],
    });
    expect(creates(service)).toHaveLength(4);
    expect(service.requests()).toHaveLength(2);
  });
});

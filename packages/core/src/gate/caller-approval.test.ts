import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint/index.js';
import type { Policy } from '../policy/policy-types.js';
import type { CreateRequestInput, JsonObject } from '../protocol/index.js';
import {
  createFakeApprovalService,
  decideNext,
  testPolicy,
} from '../test-support/gate-fixtures.js';
import { createGate } from './create-gate.js';

/** `small-transfers` allows this call; the caller asks for a human anyway. */
const small = {
  toolName: 'transfer_funds',
  args: { amount: 10, to: 'acct-1' },
  runId: 'run-1',
  toolCallId: 'call-1',
  requireApproval: true,
};

const createBody = (service: ReturnType<typeof createFakeApprovalService>) =>
  service.calls.find((call) => call.method === 'create')?.body as CreateRequestInput | undefined;

describe('gate: requireApproval turns a policy allow into a require', () => {
  it('asks with the policy approval defaults, and allows only on approval', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    const decided = decideNext(service, { outcome: 'approve', comment: 'ok' });
    const decision = await gate.check(small);
    await decided;
    expect(decision).toEqual({
      outcome: 'allow',
      args: small.args,
      edited: false,
      fingerprint: fingerprint(small.toolName, small.args),
      requestId: 'req_000001',
      rule: 'small-transfers',
      approvedBy: ['user:alice'],
      comment: 'ok',
    });
    expect(createBody(service)).toMatchObject({
      kind: 'approval',
      quorum: 1,
      assignees: ['group:ops'],
      timeout: '1h',
      metadata: { policyRule: 'small-transfers', requiredBy: 'caller' },
    });
  });

  it('merges an approval block over the defaults, including onTimeout', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    const pending = gate.check({
      ...small,
      requireApproval: { assignees: ['group:finance'], quorum: 2, onTimeout: 'allow' },
    });
    service.expire((await service.waitForRequest()).id);
    expect(await pending).toMatchObject({
      outcome: 'allow',
      expired: true,
      requestId: 'req_000001',
    });
    expect(createBody(service)).toMatchObject({
      quorum: 2,
      assignees: ['group:finance'],
      timeout: '1h',
    });
  });

  it('a rejection denies, and is remembered for the run like any other', async () => {
    const service = createFakeApprovalService({
      onCreate: () => ({ outcome: 'reject', reason: 'not today' }),
    });
    const gate = createGate({ policy: testPolicy, service });
    expect(await gate.check(small)).toMatchObject({ outcome: 'deny', reason: 'rejected' });
    const again = await gate.check({ ...small, toolCallId: 'call-2' });
    expect(again).toMatchObject({ outcome: 'deny', reason: 'rejected', requestId: 'req_000001' });
    expect(service.requests()).toHaveLength(1);
  });

  it('re-validates and re-checks edited arguments: a policy deny still wins', async () => {
    const editTo = (args: JsonObject) =>
      createFakeApprovalService({ onCreate: () => ({ outcome: 'edit', args }) });
    const validated: JsonObject[] = [];
    const validateArgs = (args: JsonObject) => {
      validated.push(args);
      return args;
    };
    const fine = await createGate({
      policy: testPolicy,
      service: editTo({ amount: 9, to: 'b' }),
    }).check({ ...small, validateArgs });
    expect(fine).toMatchObject({ outcome: 'allow', edited: true, args: { amount: 9, to: 'b' } });
    expect(validated).toEqual([{ amount: 9, to: 'b' }]);
    const huge = await createGate({
      policy: testPolicy,
      service: editTo({ amount: 5e6, to: 'b' }),
    }).check({ ...small, validateArgs });
    expect(huge).toMatchObject({ outcome: 'deny', reason: 'policy', rule: 'no-huge' });
  });
});

describe('gate: requireApproval does not override the policy otherwise', () => {
  it('false or absent: the allow path, touching no service', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    for (const requireApproval of [false, undefined]) {
      const decision = await gate.check({ ...small, requireApproval });
      expect(decision).toMatchObject({ outcome: 'allow', edited: false, rule: 'small-transfers' });
      expect(decision.outcome === 'allow' && decision.requestId).toBeUndefined();
    }
    expect(service.calls).toEqual([]);
  });

  it('a policy deny still denies, without asking', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    const decision = await gate.check({ toolName: 'drop_table', args: {}, requireApproval: true });
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'policy', rule: 'no-drops' });
    expect(service.calls).toEqual([]);
  });

  it("a policy require keeps its own rule's spec", async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    const decision = await gate.check({
      ...small,
      args: { amount: 5000, to: 'acct-1' },
      requireApproval: { assignees: ['user:mallory'], quorum: 1 },
      waitTimeoutMs: 0,
    });
    expect(decision).toMatchObject({ outcome: 'pending', requestId: 'req_000001' });
    expect(createBody(service)).toMatchObject({
      quorum: 2,
      assignees: ['group:finance'],
      metadata: { policyRule: 'big-transfers' },
    });
    expect(createBody(service)?.metadata).not.toHaveProperty('requiredBy');
  });

  it('evaluate() stays the policy verdict alone', () => {
    const gate = createGate({ policy: testPolicy });
    expect(gate.evaluate(small)).toEqual({ action: 'allow', rule: 'small-transfers' });
  });
});

describe('gate: requireApproval fails closed', () => {
  it('denies (invalid) a malformed block without asking', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    const bad: unknown[] = [
      'yes',
      null,
      1,
      [],
      { quorum: 0 },
      { assignees: 'group:ops' },
      { color: 'red' },
      { kind: 'form' },
      { kind: 'clarification' },
    ];
    for (const requireApproval of bad) {
      const decision = await gate.check({ ...small, requireApproval: requireApproval as never });
      expect(decision, JSON.stringify(requireApproval)).toMatchObject({
        outcome: 'deny',
        reason: 'invalid',
        rule: 'small-transfers',
      });
    }
    expect(service.calls).toEqual([]);
  });

  it('uses one approval from any reviewer for a policy without approval defaults', async () => {
    const handWritten: Policy = {
      source: 'hand-written',
      ruleCount: 0,
      defaultAction: 'allow',
      evaluate: () => ({ action: 'allow' }),
    };
    const service = createFakeApprovalService({ onCreate: () => ({ outcome: 'approve' }) });
    const gate = createGate({ policy: handWritten, service });
    expect(await gate.check(small)).toMatchObject({ outcome: 'allow', requestId: 'req_000001' });
    const body = createBody(service);
    expect(body).toMatchObject({ kind: 'approval', quorum: 1, metadata: { requiredBy: 'caller' } });
    expect(body).not.toHaveProperty('assignees');
  });
});

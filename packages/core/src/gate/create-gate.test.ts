import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from '../fingerprint/index.js';
import {
  createFakeApprovalService,
  decideNext,
  testPolicy,
} from '../test-support/gate-fixtures.js';
import { createGate } from './create-gate.js';

const transfer = {
  toolName: 'transfer_funds',
  args: { amount: 5000, to: 'acct-42' },
  runId: 'run-1',
  toolCallId: 'call-1',
  context: { user: 'bob' },
  annotations: { destructiveHint: true },
  inputSchema: { type: 'object' },
};

describe('gate: policy outcomes without a human', () => {
  it('allows with the original args and fingerprint, touching no service', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    const args = { id: 7 };
    const decision = await gate.check({ toolName: 'get_user', args });
    expect(decision).toEqual({
      outcome: 'allow',
      args,
      edited: false,
      fingerprint: fingerprint('get_user', args),
      rule: 'reads',
    });
    expect(service.calls).toEqual([]);
  });

  it('allows without any service configured', async () => {
    const gate = createGate({ policy: testPolicy });
    expect((await gate.check({ toolName: 'get_user', args: {} })).outcome).toBe('allow');
  });

  it('denies with the rule message, or a default one naming the tool', async () => {
    const gate = createGate({ policy: testPolicy, service: createFakeApprovalService() });
    expect(await gate.check({ toolName: 'drop_table', args: {} })).toEqual({
      outcome: 'deny',
      reason: 'policy',
      message: 'Never drop tables.',
      rule: 'no-drops',
    });
    const huge = await gate.check({ toolName: 'transfer_funds', args: { amount: 2e6 } });
    expect(huge).toMatchObject({ outcome: 'deny', reason: 'policy', rule: 'no-huge' });
    expect(huge.outcome === 'deny' && huge.message).toContain(
      'does not allow calling "transfer_funds"',
    );
  });

  it('evaluate() returns the policy verdict synchronously', () => {
    const gate = createGate({ policy: testPolicy });
    expect(gate.evaluate({ toolName: 'transfer_funds', args: { amount: 10 } })).toEqual({
      action: 'allow',
      rule: 'small-transfers',
    });
  });
});

describe('gate: asking a human', () => {
  it('creates the request from the rule and the call, with a derived idempotency key', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    const decided = decideNext(service, { outcome: 'approve', comment: 'fine' });
    const decision = gate.check({ ...transfer, action: 'Pay 5000 to acct-42' });
    await decided;
    await service.decide(
      (await service.waitForRequest()).id,
      { outcome: 'approve' },
      { principal: 'user:bea' },
    );
    const fp = fingerprint(transfer.toolName, transfer.args);
    expect(await decision).toEqual({
      outcome: 'allow',
      args: transfer.args,
      edited: false,
      fingerprint: fp,
      requestId: 'req_000001',
      rule: 'big-transfers',
      approvedBy: ['user:alice', 'user:bea'],
    });
    const create = service.calls.find((call) => call.method === 'create');
    expect(create?.idempotencyKey).toBe(
      `cs-gate-${createHash('sha256')
        .update(canonicalJson(['run-1', 'call-1', fp]))
        .digest('hex')}`,
    );
    expect(create?.body).toEqual({
      action: 'Pay 5000 to acct-42',
      kind: 'approval',
      quorum: 2,
      tool: {
        name: 'transfer_funds',
        args: transfer.args,
        schema: { type: 'object' },
        annotations: { destructiveHint: true },
      },
      context: { user: 'bob' },
      assignees: ['group:finance'],
      timeout: '48h',
      reminders: ['24h'],
      escalation: { after: '24h', assignees: ['user:cfo'], mode: 'add' },
      runId: 'run-1',
      toolCallId: 'call-1',
      metadata: { policyRule: 'big-transfers' },
      // The transfer rules travel with the request, so the server can check edits against them.
      policy: {
        rule: 'big-transfers',
        rules: [
          { name: 'no-huge', action: 'deny', when: 'args.amount > 1000000' },
          {
            name: 'big-transfers',
            action: 'require',
            when: 'args.amount > 1000',
            assignees: ['group:finance'],
          },
          { name: 'small-transfers', action: 'allow' },
        ],
        default: { action: 'require', assignees: ['group:ops'] },
      },
    });
  });

  it('describes the call for the reviewer when no action text is given; no key without a tool call id', async () => {
    const service = createFakeApprovalService({ onCreate: () => ({ outcome: 'approve' }) });
    const gate = createGate({ policy: testPolicy, service });
    await gate.check({ toolName: 'deploy', args: { version: '2.4.1' } });
    const create = service.calls.find((call) => call.method === 'create');
    expect(create?.idempotencyKey).toBeUndefined();
    expect(create?.body).toMatchObject({
      action: 'Run deploy with {"version":"2.4.1"}',
      assignees: ['group:ops'],
      timeout: '1h',
    });
  });

  it('rejected: denies with the reviewer reason, and remembers it for the run', async () => {
    const service = createFakeApprovalService({
      onCreate: () => ({ outcome: 'reject', reason: 'Wrong account' }),
    });
    const gate = createGate({ policy: testPolicy, service });
    const first = await gate.check(transfer);
    expect(first).toMatchObject({ outcome: 'deny', reason: 'rejected', requestId: 'req_000001' });
    expect(first.outcome === 'deny' && first.message).toBe(
      'A human reviewer rejected this call: Wrong account. Do not retry the same call; revise it or ask the user.',
    );
    const again = await gate.check({ ...transfer, toolCallId: 'call-2' });
    expect(again).toMatchObject({ outcome: 'deny', reason: 'rejected', requestId: 'req_000001' });
    expect(again.outcome === 'deny' && again.message).toContain('already rejected this exact call');
    expect(service.requests()).toHaveLength(1);
    // Another run, or other arguments, ask again.
    await gate.check({ ...transfer, runId: 'run-2' });
    await gate.check({ ...transfer, args: { amount: 5001, to: 'acct-42' } });
    expect(service.requests()).toHaveLength(3);
  });

  it('expired: denies, saying it is not a rejection; onTimeout allow lets it run', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    const pending = gate.check(transfer);
    service.expire((await service.waitForRequest()).id);
    const decision = await pending;
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'expired' });
    expect(decision.outcome === 'deny' && decision.message).toContain('this is not a rejection');

    const lenient = gate.check({ toolName: 'notify', args: { to: 'all' } });
    service.expire((await service.waitForRequest((request) => request.status === 'pending')).id);
    expect(await lenient).toMatchObject({
      outcome: 'allow',
      args: { to: 'all' },
      expired: true,
      rule: 'lenient',
    });
  });

  it('cancelled: denies with reason cancelled', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service });
    const pending = gate.check(transfer);
    await service.cancel((await service.waitForRequest()).id);
    const decision = await pending;
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'cancelled' });
    expect(decision.outcome === 'deny' && decision.message).toContain('cancelled');
  });

  it('answered: hands the human response back', async () => {
    const service = createFakeApprovalService({
      onCreate: () => ({ outcome: 'respond', response: { answer: 'use acct-43' } }),
    });
    const gate = createGate({ policy: testPolicy, service });
    expect(await gate.check(transfer)).toMatchObject({
      outcome: 'respond',
      response: { answer: 'use acct-43' },
      requestId: 'req_000001',
      respondedBy: ['user:reviewer'],
    });
  });

  it('pending: with waitTimeoutMs, returns pending, and checking again re-attaches', async () => {
    const service = createFakeApprovalService();
    const gate = createGate({ policy: testPolicy, service, defaultWaitTimeoutMs: 20 });
    const first = await gate.check(transfer);
    expect(first).toMatchObject({ outcome: 'pending', requestId: 'req_000001' });
    expect(first.outcome === 'pending' && first.message).toContain('waiting for a human decision');
    await service.decide('req_000001', { outcome: 'approve' }, { principal: 'user:a' });
    await service.decide('req_000001', { outcome: 'approve' }, { principal: 'user:b' });
    const second = await gate.check(transfer);
    expect(second).toMatchObject({ outcome: 'allow', requestId: 'req_000001', edited: false });
    expect(service.requests()).toHaveLength(1);
  });
});

describe('gate: the default service', () => {
  it('denies (unavailable) a call that needs a human when no service is configured', async () => {
    const saved = process.env.COUNTERSIGN_URL;
    delete process.env.COUNTERSIGN_URL;
    try {
      const decision = await createGate({ policy: testPolicy }).check(transfer);
      expect(decision).toMatchObject({ outcome: 'deny', reason: 'unavailable' });
      expect(decision.outcome === 'deny' && String(decision.cause)).toContain('COUNTERSIGN_URL');
    } finally {
      if (saved !== undefined) process.env.COUNTERSIGN_URL = saved;
    }
  });
});

describe('createGate: configuration', () => {
  it('refuses bad options at construction', () => {
    const bad = [
      { policy: {} },
      { service: { create: async () => ({}) } },
      { defaultWaitTimeoutMs: -1 },
      { defaultWaitTimeoutMs: Number.NaN },
      { rejectionCacheSize: 1.5 },
    ];
    for (const options of bad) {
      expect(() => createGate(options as never), JSON.stringify(options)).toThrow(/^createGate: /);
    }
    expect(() => createGate({ rejectionCacheSize: 0, defaultWaitTimeoutMs: 0 })).not.toThrow();
  });
});

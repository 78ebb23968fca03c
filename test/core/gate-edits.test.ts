import { fingerprint, type JsonObject } from '@countersign/core';
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

/** The tool's own validator: amounts must be positive whole numbers. */
function validateTransfer(args: JsonObject): JsonObject {
  if (typeof args.amount !== 'number' || !Number.isInteger(args.amount) || args.amount <= 0) {
    throw new Error('amount must be a positive whole number');
  }
  return args;
}

function startTransfer(runId: string, args: JsonObject) {
  const tool = recordingTool();
  const checking = tool.call(h.gate(e2ePolicy), {
    toolName: 'transfer_funds',
    args,
    runId,
    toolCallId: 'call-1',
    validateArgs: validateTransfer,
  });
  return { tool, checking };
}

describe('edits against the real server', () => {
  it('an edit runs the edited arguments, bound to their fingerprint', async () => {
    const { tool, checking } = startTransfer('run-edit', { amount: 5000, to: 'acc_1' });
    const request = await h.nextPending();
    const edited = { amount: 500, to: 'acc_1' };
    const decided = await h.alice.decide(request.id, { outcome: 'edit', args: edited });
    expect(decided.resolution).toMatchObject({
      args: edited,
      edited: true,
      fingerprint: fingerprint('transfer_funds', edited),
    });
    const decision = await checking;
    expect(decision).toMatchObject({
      outcome: 'allow',
      args: edited,
      edited: true,
      fingerprint: fingerprint('transfer_funds', edited),
      approvedBy: ['user:alice'],
    });
    expect(tool.runs).toEqual([edited]);
  });

  it('an edit the policy denies is denied and does not run', async () => {
    const { tool, checking } = startTransfer('run-edit-denied', { amount: 5000, to: 'acc_1' });
    const request = await h.nextPending();
    await h.alice.decide(request.id, { outcome: 'edit', args: { amount: 50_000, to: 'acc_1' } });
    const decision = await checking;
    expect(decision).toMatchObject({
      outcome: 'deny',
      reason: 'policy',
      rule: 'no-huge-transfers',
      requestId: request.id,
    });
    if (decision.outcome !== 'deny') throw new Error('expected a deny');
    expect(decision.message).toContain('edited');
    expect(decision.message).toContain('Transfers above 10000 are never allowed.');
    expect(tool.runs).toEqual([]);
  });

  it('an edit that fails validateArgs is denied as invalid', async () => {
    const { tool, checking } = startTransfer('run-edit-invalid', { amount: 5000, to: 'acc_1' });
    const request = await h.nextPending();
    await h.alice.decide(request.id, { outcome: 'edit', args: { amount: 12.5, to: 'acc_1' } });
    const decision = await checking;
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'invalid', requestId: request.id });
    if (decision.outcome !== 'deny') throw new Error('expected a deny');
    expect(decision.message).toContain('amount must be a positive whole number');
    expect(decision.message).toContain('not a rejection');
    expect(tool.runs).toEqual([]);
  });

  it('the server refuses an edit that breaks the tool input schema sent along', async () => {
    const tool = recordingTool();
    const checking = tool.call(h.gate(e2ePolicy), {
      toolName: 'transfer_funds',
      args: { amount: 5000, to: 'acc_1' },
      runId: 'run-edit-schema',
      toolCallId: 'call-1',
      inputSchema: {
        type: 'object',
        properties: { amount: { type: 'number' }, to: { type: 'string' } },
        required: ['amount', 'to'],
      },
    });
    const request = await h.nextPending();
    await expectApiError(
      h.alice.decide(request.id, { outcome: 'edit', args: { amount: 'lots', to: 'acc_1' } }),
      422,
    );
    await h.alice.decide(request.id, { outcome: 'reject', reason: 'no' });
    expect(await checking).toMatchObject({ outcome: 'deny', reason: 'rejected' });
    expect(tool.runs).toEqual([]);
  });
});

describe('answers instead of running the tool', () => {
  it('a clarification answer comes back as respond', async () => {
    const tool = recordingTool();
    const checking = tool.call(h.gate(e2ePolicy), {
      toolName: 'choose_region',
      args: { candidates: ['eu-west-1', 'us-east-1'] },
      runId: 'run-clarify',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    expect(request).toMatchObject({
      kind: 'clarification',
      question: 'Which region should we use?',
    });
    await h.bob.decide(request.id, { outcome: 'respond', response: 'eu-west-1, for GDPR' });
    expect(await checking).toMatchObject({
      outcome: 'respond',
      response: 'eu-west-1, for GDPR',
      requestId: request.id,
      respondedBy: ['user:bob'],
    });
    expect(tool.runs).toEqual([]);
  });

  it('a form answer must fit its schema on the server, then comes back as respond', async () => {
    const checking = h.gate(e2ePolicy).check({
      toolName: 'book_trip',
      args: { to: 'Lisbon' },
      runId: 'run-form',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    expect(request.kind).toBe('form');
    await expectApiError(
      h.alice.decide(request.id, { outcome: 'respond', response: { seat: 'roof' } }),
      422,
    );
    await h.alice.decide(request.id, { outcome: 'respond', response: { seat: 'aisle' } });
    expect(await checking).toMatchObject({ outcome: 'respond', response: { seat: 'aisle' } });
  });

  it('an approval request may be answered instead of running the tool', async () => {
    const tool = recordingTool();
    const args = { amount: 20, to: 'acc_4' };
    const checking = tool.call(h.gate(e2ePolicy), {
      toolName: 'transfer_funds',
      args,
      runId: 'run-respond-approval',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    await h.alice.decide(request.id, { outcome: 'respond', response: 'Already paid by hand' });
    expect(await checking).toMatchObject({ outcome: 'respond', response: 'Already paid by hand' });
    expect((await h.agent.get(request.id)).status).toBe('answered');
    expect(tool.runs).toEqual([]);
  });
});

// A restarted agent re-attaches to an approval after its receipt expired: the tool still gets a
// receipt that verifies (re-signed as the call starts), and the approval runs once.
import { type GateAllow, ReceiptInvalidError, verifyReceipt } from '@countersign/core';
import { runReported } from '@countersign/core/adapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './e2e-harness.ts';
import { e2ePolicy } from './e2e-policy.ts';

/** The server's default receipt lifetime. */
const RECEIPT_TTL_MS = 10 * 60_000;
const input = {
  toolName: 'transfer_funds',
  args: { amount: 700, to: 'acc_5' },
  runId: 'run-late',
  toolCallId: 'call-1',
};

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ manualClock: true });
});
afterEach(async () => {
  await h.close();
});

async function verdict(receipt: string | undefined) {
  const jwks = await h.agent.signingKeys();
  const now = new Date(h.server.clock.now());
  return verifyReceipt(receipt, { toolName: input.toolName, args: input.args, jwks, now }).catch(
    (error: unknown) => (error instanceof ReceiptInvalidError ? error.reason : error),
  );
}

describe('receipts of approvals that run late (manual server clock)', () => {
  it('hands the tool a valid receipt after the approval outlived its receipt, and runs it once', async () => {
    const checking = h.gate(e2ePolicy).check(input);
    const request = await h.nextPending();
    await h.alice.decide(request.id, { outcome: 'approve' });
    const approved = (await checking) as GateAllow;
    expect(approved).toMatchObject({ outcome: 'allow', requestId: request.id });
    // The agent dies here, before the call starts; it is back after the receipt's lifetime.
    await h.server.clock.advance(RECEIPT_TTL_MS + 60_000);
    expect(await verdict(approved.receipt)).toBe('expired');

    const restarted = h.gate(e2ePolicy);
    const reattached = await restarted.check(input);
    expect(reattached).toMatchObject({ outcome: 'allow', requestId: request.id });
    if (reattached.outcome !== 'allow') throw new Error('expected an allow');
    // And it waits once more before running the call.
    await h.server.clock.advance(RECEIPT_TTL_MS + 60_000);
    expect(await verdict(reattached.receipt)).toBe('expired');
    const handed: (string | undefined)[] = [];
    const run = await runReported(restarted, reattached, () => {
      handed.push(reattached.receipt);
      return 'paid';
    });
    expect(run).toEqual({ ran: true, value: 'paid' });
    expect(await verdict(handed[0])).toMatchObject({
      sub: request.id,
      jti: approved.receiptId,
      approvers: ['user:alice'],
      iat: Math.floor(h.server.clock.now() / 1000),
    });

    // Another attacher after `executing` is refused: nothing runs twice.
    const again = await h.gate(e2ePolicy).check(input);
    expect(again).toMatchObject({ outcome: 'deny', reason: 'already_ran', requestId: request.id });
    expect((await h.agent.get(request.id)).execution).toMatchObject({ state: 'succeeded' });
  });
});

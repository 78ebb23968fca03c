import { type ReceiptInvalidError, verifyReceipt } from '@countersign/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const TTL_MS = 600_000;
const tool = { name: 'pay', args: { amount: 5, to: 'acme' } };
const body = {
  action: 'Pay acme',
  tool,
  assignees: ['group:ops'],
  policy: { rule: 'payments', rules: [], default: { action: 'require' } },
};

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const create = () =>
  h.call(h.keys.agent, 'POST', '/v1/requests', body, { 'idempotency-key': 'run-1:call-1' });
const report = (id: string, attempt: string) =>
  h.call(h.keys.agent, 'POST', `/v1/requests/${id}/execution`, { state: 'executing', attempt });

async function check(receipt: string) {
  const jwks = (await h.call(undefined, 'GET', '/.well-known/jwks.json')).body;
  return verifyReceipt(receipt, {
    toolName: tool.name,
    args: tool.args,
    jwks,
    now: new Date(h.clock.now()),
  });
}

async function refusal(receipt: string): Promise<string | undefined> {
  return check(receipt).then(
    () => undefined,
    (error: ReceiptInvalidError) => error.reason,
  );
}

describe('receipts of approvals handed out late', () => {
  it('re-signs the receipt, under the same id, at a re-attach and when the call starts, never after', async () => {
    h = await createHarness({ receipts: { signingKeySecret: SECRET, ttlMs: TTL_MS } });
    const created = await create();
    expect(created.status).toBe(201);
    const decided = await h.call(
      h.keys.alice,
      'POST',
      `/v1/requests/${created.body.id}/decisions`,
      {
        outcome: 'approve',
      },
    );
    const { receipt: first, receiptId } = decided.body.resolution;
    expect((await check(first)).jti).toBe(receiptId);

    // The agent died before running the call; it comes back after the receipt's lifetime.
    await h.advance(TTL_MS + 60_000);
    expect(await refusal(first)).toBe('expired');
    const reattached = await create();
    expect(reattached.status).toBe(200);
    const handedOut = reattached.body.resolution.receipt;
    expect(await check(handedOut)).toMatchObject({
      jti: receiptId,
      sub: created.body.id,
      approvers: ['user:alice'],
      iat: Math.floor(h.clock.now() / 1000),
    });

    // It waits again before starting: `executing` answers with a receipt valid from the start.
    await h.advance(TTL_MS + 60_000);
    expect(await refusal(handedOut)).toBe('expired');
    const started = await report(created.body.id, 'attempt-1');
    expect(started.status).toBe(200);
    const running = started.body.resolution.receipt;
    expect(await check(running)).toMatchObject({
      jti: receiptId,
      exp: Math.floor(h.clock.now() / 1000) + TTL_MS / 1000,
    });
    const stored = await h.call(h.keys.admin, 'GET', `/v1/requests/${created.body.id}`);
    expect(stored.body.resolution.receipt).toBe(running);
    // Repeating the report is a no-op and answers the same receipt.
    expect((await report(created.body.id, 'attempt-1')).body.resolution.receipt).toBe(running);

    // Once executing, the approval is never handed out again, and its receipt is not renewed.
    await h.advance(60_000);
    const second = await report(created.body.id, 'attempt-2');
    expect([second.status, second.body.error?.message]).toEqual([
      409,
      `Request ${created.body.id}: this call is already running or ran`,
    ]);
    const late = await create();
    expect(late.body.execution).toMatchObject({ state: 'executing', attempt: 'attempt-1' });
    expect(late.body.resolution.receipt).toBe(running);

    // One id throughout: whichever copy a tool server consumes, the call runs at most once.
    const consumed = await h.call(h.keys.agent, 'POST', `/v1/receipts/${receiptId}/consume`, {
      receipt: running,
    });
    expect(consumed.status).toBe(200);
    const other = await h.call(h.keys.bob, 'POST', `/v1/receipts/${receiptId}/consume`, {
      receipt: running,
    });
    expect(other.status).toBe(409);
  });
});

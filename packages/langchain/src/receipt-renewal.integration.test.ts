import { verifyReceipt } from '@countersign/core';
import { startingLate } from '@countersign/core/test';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CountersignCallbackHandler } from './callback-handler.js';
import { countersignMiddleware } from './middleware.js';
import { bankPolicy, receiptTool, toolMessages } from './test-support/fixtures.js';
import { startCountersign } from './test-support/server-fixture.js';
import { withApproval } from './with-approval.js';

type Countersign = Awaited<ReturnType<typeof startCountersign>>;
/** Past the server's default receipt lifetime (10 minutes). */
const LATER_MS = 11 * 60_000;
const ask = { messages: [{ role: 'user', content: 'pay' }] };
const bob = { name: 'transfer_funds', args: { to: 'bob', amount: 500 }, id: 'call_late' };

describe('LangChain adapters: a call that starts after its approval’s receipt expired (manual clock)', () => {
  let countersign: Countersign;
  beforeEach(async () => {
    countersign = await startCountersign({ manualClock: true });
  });
  afterEach(async () => {
    await countersign.server.close();
  });

  // The approval reaches the agent at once; the call starts only after the receipt's lifetime.
  const lateService = () =>
    startingLate(countersign.agentClient, () => countersign.server.clock.advance(LATER_MS));

  async function verifiesNow(receipt: string | undefined) {
    return verifyReceipt(receipt, {
      toolName: 'transfer_funds',
      args: bob.args,
      jwks: await countersign.agentClient.signingKeys(),
      now: new Date(countersign.server.clock.now()),
    });
  }

  it('createAgent + middleware: the tool gets the receipt re-signed as the call starts', async () => {
    const { transfer, receipts } = receiptTool();
    const agent = createAgent({
      model: fakeModel().respondWithTools([bob]).respond(new AIMessage('done')),
      tools: [transfer],
      middleware: [countersignMiddleware({ policy: bankPolicy(), service: lateService() })],
    });
    const [out, decided] = await Promise.all([
      agent.invoke(ask, { configurable: { thread_id: 'late-1' } }),
      countersign.approveNext(),
    ]);
    expect(toolMessages(out.messages)[0]?.content).toBe('sent 500 to bob');
    await expect(verifiesNow(decided.resolution?.receipt)).rejects.toMatchObject({
      reason: 'expired',
    });
    expect(await verifiesNow(receipts[0])).toMatchObject({
      sub: decided.id,
      jti: decided.resolution?.receiptId,
    });
  });

  it('withApproval: the wrapped tool gets the receipt re-signed as the call starts', async () => {
    const { transfer, receipts } = receiptTool();
    const guarded = withApproval(transfer, { policy: bankPolicy(), service: lateService() });
    const [result, decided] = await Promise.all([
      guarded.invoke(bob.args, { configurable: { thread_id: 'late-2' } }),
      countersign.approveNext(),
    ]);
    expect(result).toBe('sent 500 to bob');
    await expect(verifiesNow(decided.resolution?.receipt)).rejects.toMatchObject({
      reason: 'expired',
    });
    expect((await verifiesNow(receipts[0])).sub).toBe(decided.id);
  });

  it('callback handler: the tool gets the receipt re-signed as the call starts', async () => {
    const { transfer, receipts } = receiptTool();
    const handler = new CountersignCallbackHandler({
      policy: bankPolicy(),
      service: lateService(),
    });
    const [result, decided] = await Promise.all([
      transfer.invoke(bob.args, { callbacks: [handler] }),
      countersign.approveNext(),
    ]);
    expect(result).toBe('sent 500 to bob');
    await expect(verifiesNow(decided.resolution?.receipt)).rejects.toMatchObject({
      reason: 'expired',
    });
    expect((await verifiesNow(receipts[0])).sub).toBe(decided.id);
  });
});

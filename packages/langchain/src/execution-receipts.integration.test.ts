import { verifyReceipt } from '@countersign/core';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countersignMiddleware } from './middleware.js';
import { bankPolicy, receiptTool, toolMessages } from './test-support/fixtures.js';
import { startCountersign } from './test-support/server-fixture.js';
import { withApproval } from './with-approval.js';

type Countersign = Awaited<ReturnType<typeof startCountersign>>;
const ask = { messages: [{ role: 'user', content: 'pay' }] };
const bob = { name: 'transfer_funds', args: { to: 'bob', amount: 500 }, id: 'call_bob' };

describe('LangChain adapters: receipts and execution reports, against a real server', () => {
  let countersign: Countersign;
  beforeEach(async () => {
    countersign = await startCountersign();
  });
  afterEach(async () => {
    await countersign.server.close();
  });

  it('createAgent + middleware: the tool gets a valid receipt in its config; executing then succeeded', async () => {
    const { transfer, receipts } = receiptTool();
    const agent = createAgent({
      model: fakeModel().respondWithTools([bob]).respond(new AIMessage('done')),
      tools: [transfer],
      middleware: [
        countersignMiddleware({ policy: bankPolicy(), service: countersign.agentClient }),
      ],
    });
    const [out, decided] = await Promise.all([
      agent.invoke(ask, { configurable: { thread_id: 'receipt-1' } }),
      countersign.approveNext(),
    ]);
    expect(toolMessages(out.messages)[0]?.content).toBe('sent 500 to bob');
    const jwks = await countersign.agentClient.signingKeys();
    const claims = await verifyReceipt(receipts[0], {
      toolName: 'transfer_funds',
      args: bob.args,
      jwks,
    });
    expect(claims.sub).toBe(decided.id);
    const stored = await countersign.reviewer.get(decided.id);
    expect(stored.execution).toMatchObject({ state: 'succeeded', by: 'agent:lc-bot' });
  });

  it('createAgent + middleware: a failing tool is reported failed; the same approval never runs again', async () => {
    const { transfer, receipts } = receiptTool(true);
    const agent = () =>
      createAgent({
        model: fakeModel().respondWithTools([bob]).respond(new AIMessage('done')),
        tools: [transfer],
        middleware: [
          countersignMiddleware({ policy: bankPolicy(), service: countersign.agentClient }),
        ],
      });
    const config = { configurable: { thread_id: 'receipt-2' } };
    const [, decided] = await Promise.all([
      agent()
        .invoke(ask, config)
        .catch(() => undefined),
      countersign.approveNext(),
    ]);
    const stored = await countersign.reviewer.get(decided.id);
    expect(stored.execution).toMatchObject({ state: 'failed' });
    expect(stored.execution?.error).toContain('the bank is closed');
    const again = await agent().invoke(ask, config);
    expect(receipts).toHaveLength(1);
    expect(String(toolMessages(again.messages).at(-1)?.content)).toContain(
      'already running or ran',
    );
  });

  it('withApproval: the wrapped tool gets the receipt and its execution is reported', async () => {
    const { transfer, receipts } = receiptTool();
    const guarded = withApproval(transfer, {
      policy: bankPolicy(),
      service: countersign.agentClient,
    });
    const [result, decided] = await Promise.all([
      guarded.invoke(bob.args, { configurable: { thread_id: 'receipt-3' } }),
      countersign.approveNext(),
    ]);
    expect(result).toBe('sent 500 to bob');
    // The receipt re-signed as the call started, which the request keeps.
    const stored = await countersign.reviewer.get(decided.id);
    expect(receipts[0]).toBe(stored.resolution?.receipt);
    expect(stored.execution?.state).toBe('succeeded');
  });
});

import type { DecisionInput } from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { describe, expect, it } from 'vitest';
import { CountersignCallbackHandler } from './callback-handler.js';
import { bankPolicy, toolMessages, transferTool } from './test-support/fixtures.js';

async function run(decision: DecisionInput | undefined, whenWaiting = false) {
  const service = createFakeApprovalService();
  const { transfer, executed } = transferTool();
  const order: string[] = [];
  // With `whenWaiting`, the reviewer decides only once the handler waits for the decision: the
  // tool must not have started by then.
  void service.waitForRequest().then(async (request) => {
    const waiting = () =>
      service.calls.some((call) => call.method === 'wait' && call.id === request.id);
    while (whenWaiting && !waiting()) await new Promise((resolve) => setTimeout(resolve, 5));
    order.push(`decided:${executed.length}`);
    if (decision) await service.decide(request.id, decision);
  });
  const handler = new CountersignCallbackHandler({ policy: bankPolicy(), service });
  const model = fakeModel()
    .respondWithTools([{ name: 'transfer_funds', args: { to: 'bob', amount: 9 }, id: 'call_1' }])
    .respond(new AIMessage('done'));
  const agent = createAgent({ model, tools: [transfer] });
  const out = await agent.invoke(
    { messages: [{ role: 'user', content: 'pay' }] },
    { callbacks: [handler], configurable: { thread_id: 'cb-1' } },
  );
  return { out, executed, order, service, handler };
}

describe('CountersignCallbackHandler', () => {
  it('is built with raiseError, which makes LangChain await it', () => {
    const handler = new CountersignCallbackHandler({ service: createFakeApprovalService() });
    expect(handler.raiseError).toBe(true);
    expect(handler.awaitHandlers).toBe(true);
  });

  it('blocks the tool until a human approves', async () => {
    const { executed, order, out } = await run({ outcome: 'approve' }, true);
    expect(order).toEqual(['decided:0']);
    expect(executed).toEqual([{ to: 'bob', amount: 9 }]);
    expect(toolMessages(out.messages)[0]?.content).toBe('sent 9 to bob');
  });

  it('stops a rejected tool and the model sees the reason', async () => {
    const { executed, out } = await run({ outcome: 'reject', reason: 'not today' });
    expect(executed).toEqual([]);
    const [message] = toolMessages(out.messages);
    expect(message?.status).toBe('error');
    expect(message?.content).toContain('not today');
  });

  it('refuses to run the original arguments when the reviewer edited them', async () => {
    const { executed, out } = await run({ outcome: 'edit', args: { to: 'bob', amount: 1 } });
    expect(executed).toEqual([]);
    expect(toolMessages(out.messages)[0]?.content).toContain('"amount":1');
  });
});

import { CountersignClient } from '@countersign/core';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countersignMiddleware } from './middleware.js';
import { bankPolicy, toolMessages, transferTool } from './test-support/fixtures.js';
import { startCountersign } from './test-support/server-fixture.js';

/** Longer than the client's default retry budget (at most 1.4 s), as a restart or deploy takes. */
const DOWN_MS = 2_000;

type Countersign = Awaited<ReturnType<typeof startCountersign>>;
const ask = { messages: [{ role: 'user', content: 'pay' }] };
const bob = { name: 'transfer_funds', args: { to: 'bob', amount: 500 }, id: 'call_bob' };

describe('createAgent with the Countersign server restarted mid-wait', () => {
  let countersign: Countersign;
  beforeEach(async () => {
    countersign = await startCountersign();
  });
  afterEach(async () => {
    await countersign.server.close();
  });

  function agentWith(service: CountersignClient) {
    const { transfer, executed } = transferTool();
    const model = fakeModel().respondWithTools([bob]).respond(new AIMessage('done'));
    const agent = createAgent({
      model,
      tools: [transfer],
      middleware: [countersignMiddleware({ policy: bankPolicy(), service })],
    });
    return { agent, model, executed };
  }

  const agentClient = async (options: { reconnectWindowMs?: number } = {}) =>
    new CountersignClient({
      baseUrl: countersign.server.url,
      apiKey: await countersign.server.createKey({ role: 'agent', name: 'restart-bot' }),
      ...options,
    });

  it('keeps waiting through the restart and runs the tool once approved', async () => {
    const { agent, executed } = agentWith(await agentClient());
    const running = agent.invoke(ask, { configurable: { thread_id: 'restart-1' } });
    const request = await countersign.nextPending((r) => r.toolCallId === 'call_bob');
    await countersign.server.stop();
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
    await countersign.server.start();
    await countersign.reviewer.decide(request.id, { outcome: 'approve' });
    await running;
    expect(executed).toEqual([{ to: 'bob', amount: 500 }]);
  });

  it('tells the model the service was unreachable once the reconnect window passes', async () => {
    const { agent, model, executed } = agentWith(await agentClient({ reconnectWindowMs: 200 }));
    const running = agent.invoke(ask, { configurable: { thread_id: 'restart-2' } });
    await countersign.nextPending((r) => r.toolCallId === 'call_bob');
    await countersign.server.stop();
    await running;
    expect(executed).toEqual([]);
    const [seen] = toolMessages(model.calls[1]?.messages ?? []);
    expect(seen?.status).toBe('error');
    expect(seen?.content).toMatch(/kept trying for \d+ s, then stopped/);
    await countersign.server.start();
  });
});

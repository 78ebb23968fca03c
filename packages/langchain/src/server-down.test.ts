import { createServer } from 'node:net';
import { CountersignClient } from '@countersign/core';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { describe, expect, it } from 'vitest';
import { countersignMiddleware } from './middleware.js';
import { bankPolicy, toolMessages, transferTool } from './test-support/fixtures.js';

const ask = { messages: [{ role: 'user', content: 'pay' }] };
const bob = { name: 'transfer_funds', args: { to: 'bob', amount: 500 }, id: 'call_bob' };

describe('with the Countersign server down', () => {
  it('fails closed: the tool does not run and the model is told why', async () => {
    const port = await closedPort();
    const service = new CountersignClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: 'cs_unused',
      retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 10 },
    });
    const { transfer, executed } = transferTool();
    const model = fakeModel().respondWithTools([bob]).respond(new AIMessage('done'));
    const agent = createAgent({
      model,
      tools: [transfer],
      middleware: [countersignMiddleware({ policy: bankPolicy(), service })],
    });
    await agent.invoke(ask, { configurable: { thread_id: 'down-1' } });
    expect(executed).toEqual([]);
    const [seen] = toolMessages(model.calls[1]?.messages ?? []);
    expect(seen?.status).toBe('error');
    expect(seen?.content).toMatch(/could not be reached/);
  });
});

/** A loopback port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

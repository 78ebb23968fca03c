import { tool } from '@langchain/core/tools';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { countersignMiddleware } from './middleware.js';
import { bankPolicy } from './test-support/fixtures.js';
import { startCountersign } from './test-support/server-fixture.js';

type Countersign = Awaited<ReturnType<typeof startCountersign>>;

function payTool(preview: unknown) {
  return tool(async ({ to, amount }) => `sent ${amount} to ${to}`, {
    name: 'transfer_funds',
    description: 'Send money to someone',
    schema: z.object({ to: z.string(), amount: z.number() }),
    metadata: { countersign: { preview } },
  });
}

function agentWith(countersign: Countersign, transfer: ReturnType<typeof payTool>) {
  return createAgent({
    model: fakeModel()
      .respondWithTools([
        { name: 'transfer_funds', args: { to: 'ACME', amount: 12500.5 }, id: 'call_1' },
      ])
      .respond(new AIMessage('done')),
    tools: [transfer],
    middleware: [countersignMiddleware({ policy: bankPolicy(), service: countersign.agentClient })],
  });
}

describe('a LangChain tool declares its preview in metadata', () => {
  let countersign: Countersign;
  beforeEach(async () => {
    countersign = await startCountersign({ manualClock: true });
  });
  afterEach(async () => {
    await countersign.server.close();
  });

  it('the reviewer sees the transfer as money, rendered by the server from the arguments', async () => {
    const preview = {
      kind: 'money',
      fields: {
        amount: 'args.amount',
        to: 'args.to',
        currency: 'has(args.currency) ? args.currency : "EUR"',
      },
    };
    const run = agentWith(countersign, payTool(preview)).invoke(
      { messages: [{ role: 'user', content: 'pay' }] },
      { configurable: { thread_id: 'preview-1' } },
    );
    const request = await countersign.nextPending();
    expect(request.tool?.preview).toEqual(preview);
    expect(request.preview).toMatchObject({
      kind: 'money',
      parts: { amount: 12500.5, to: 'ACME', currency: 'EUR' },
      paths: { amount: 'args.amount', to: 'args.to' },
    });
    await countersign.reviewer.decide(request.id, { outcome: 'approve' });
    await run;
  });

  it('a malformed preview denies the call with the reason, and nothing is asked', async () => {
    const out = await agentWith(
      countersign,
      payTool({ kind: 'money', fields: { subject: 'args.to' } }),
    ).invoke(
      { messages: [{ role: 'user', content: 'pay' }] },
      { configurable: { thread_id: 'preview-2' } },
    );
    const message = out.messages.find((item) => item.getType() === 'tool');
    expect(String(message?.content)).toMatch(
      /The preview of tool "transfer_funds" is not valid: .*has no part "subject"/,
    );
    expect((await countersign.reviewer.list({ status: 'pending' })).items).toEqual([]);
  });
});

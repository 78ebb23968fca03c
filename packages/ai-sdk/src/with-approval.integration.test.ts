import { CountersignClient, createGate } from '@countersign/core';
import { generateText, isStepCount, streamText, tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closedPort } from './test-support/closed-port.js';
import { scriptedModel, scriptedStreamModel, toolOutputsSeen } from './test-support/models.js';
import { type Fixture, startFixture, testPolicy } from './test-support/server-fixture.js';
import { withApproval } from './with-approval.js';

function bankTools() {
  const ran: { name: string; input: unknown }[] = [];
  const make = (name: string) =>
    tool({
      inputSchema: z.object({
        to: z.string().refine((to) => to !== 'mallory', 'no payments to mallory'),
        amount: z.number(),
      }),
      execute: async (input) => {
        ran.push({ name, input });
        return { ok: true, to: input.to, amount: input.amount };
      },
    });
  return {
    ran,
    tools: {
      transfer_funds: make('transfer_funds'),
      quick_transfer: make('quick_transfer'),
      confirm_transfer: make('confirm_transfer'),
    },
  };
}

const pay = (id: string, to: string, amount: number, name = 'transfer_funds') => ({
  id,
  name,
  input: { to, amount },
});

describe('withApproval against a real server', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await startFixture();
  });
  afterEach(() => fixture.close());

  const run = (
    model: ReturnType<typeof scriptedModel>,
    tools: ReturnType<typeof bankTools>['tools'],
  ) =>
    generateText({
      model,
      tools: withApproval(tools, { gate: fixture.gate, runId: 'run-1' }),
      prompt: 'pay',
      stopWhen: isStepCount(3),
    });

  it('runs the call once a reviewer approves it', async () => {
    const { ran, tools } = bankTools();
    const model = scriptedModel([pay('call-1', 'bob', 50)]);
    const [result, decided] = await Promise.all([
      run(model, tools),
      fixture.decideNext({ outcome: 'approve' }),
    ]);
    expect(ran).toEqual([{ name: 'transfer_funds', input: { to: 'bob', amount: 50 } }]);
    expect(result.text).toBe('done');
    expect(decided).toMatchObject({
      status: 'approved',
      runId: 'run-1',
      toolCallId: 'call-1',
      tool: { name: 'transfer_funds' },
    });
    expect(decided.tool?.schema).toMatchObject({ type: 'object' });
  });

  it('tells the model why a reviewer rejected the call', async () => {
    const { ran, tools } = bankTools();
    const model = scriptedModel([pay('call-1', 'bob', 50)]);
    await Promise.all([
      run(model, tools),
      fixture.decideNext({ outcome: 'reject', reason: 'budget frozen' }),
    ]);
    expect(ran).toEqual([]);
    const output = toolOutputsSeen(model)['call-1'] as {
      type: string;
      value: Record<string, unknown>;
    };
    expect(output.type).toBe('json');
    expect(output.value).toMatchObject({
      denied: true,
      reason: 'rejected',
      message: expect.stringContaining('budget frozen'),
    });
  });

  it('runs the edited arguments, and refuses an edit the tool schema rejects', async () => {
    const { ran, tools } = bankTools();
    const model = scriptedModel([pay('call-1', 'bob', 500)]);
    await Promise.all([
      run(model, tools),
      fixture.decideNext({ outcome: 'edit', args: { to: 'bob', amount: 50 } }),
    ]);
    expect(ran).toEqual([{ name: 'transfer_funds', input: { to: 'bob', amount: 50 } }]);

    const refused = bankTools();
    const model2 = scriptedModel([pay('call-2', 'bob', 500)]);
    await Promise.all([
      run(model2, refused.tools),
      fixture.decideNext({ outcome: 'edit', args: { to: 'mallory', amount: 500 } }),
    ]);
    expect(refused.ran).toEqual([]);
    expect(toolOutputsSeen(model2)['call-2']).toMatchObject({
      value: { denied: true, reason: 'invalid' },
    });
  });

  it("returns the reviewer's answer as the tool result", async () => {
    const { ran, tools } = bankTools();
    const model = scriptedModel([pay('call-1', 'bob', 50, 'confirm_transfer')]);
    await Promise.all([
      run(model, tools),
      fixture.decideNext({ outcome: 'respond', response: { hint: 'use the EUR account' } }),
    ]);
    expect(ran).toEqual([]);
    expect(toolOutputsSeen(model)['call-1']).toEqual({
      type: 'json',
      value: { hint: 'use the EUR account' },
    });
  });

  it('asks for parallel calls at the same time and applies each decision', async () => {
    const { ran, tools } = bankTools();
    const model = scriptedModel([pay('call-a', 'bob', 10), pay('call-b', 'eve', 20)]);
    const decide = async () => {
      const requests = await fixture.pending(2);
      const byCall = new Map(requests.map((request) => [request.toolCallId, request.id]));
      await fixture.reviewer.decide(byCall.get('call-b') ?? '', {
        outcome: 'reject',
        reason: 'unknown payee',
      });
      await fixture.reviewer.decide(byCall.get('call-a') ?? '', { outcome: 'approve' });
    };
    await Promise.all([run(model, tools), decide()]);
    expect(ran).toEqual([{ name: 'transfer_funds', input: { to: 'bob', amount: 10 } }]);
    const outputs = toolOutputsSeen(model);
    expect(outputs['call-a']).toMatchObject({ value: { ok: true } });
    expect(outputs['call-b']).toMatchObject({ value: { denied: true, reason: 'rejected' } });
  });

  it('works the same in streamText, and denies by policy without asking', async () => {
    const ran: unknown[] = [];
    const delete_account = tool({
      inputSchema: z.object({ id: z.string() }),
      execute: async (input) => ran.push(input),
    });
    const model = scriptedStreamModel([
      { id: 'call-1', name: 'delete_account', input: { id: 'acc-1' } },
    ]);
    const result = streamText({
      model,
      tools: withApproval({ delete_account }, { gate: fixture.gate }),
      prompt: 'delete',
      stopWhen: isStepCount(3),
    });
    expect(await result.text).toBe('done');
    expect(ran).toEqual([]);
    expect(toolOutputsSeen(model, true)['call-1']).toMatchObject({
      value: { denied: true, reason: 'policy', message: 'Deleting is not allowed here.' },
    });
    expect((await fixture.reviewer.list({})).items).toEqual([]);
  });
});

describe('withApproval, expiry and outages', () => {
  it('reports an expired request as expired, not rejected', async () => {
    const fixture = await startFixture({ manualClock: true });
    try {
      const { ran, tools } = bankTools();
      const model = scriptedModel([pay('call-1', 'bob', 50, 'quick_transfer')]);
      const running = generateText({
        model,
        tools: withApproval(tools, { gate: fixture.gate }),
        prompt: 'pay',
        stopWhen: isStepCount(3),
      });
      await fixture.pending(1);
      await fixture.server.clock.advance(3_000);
      await running;
      expect(ran).toEqual([]);
      expect(toolOutputsSeen(model)['call-1']).toMatchObject({
        value: {
          denied: true,
          reason: 'expired',
          message: expect.stringContaining('not a rejection'),
        },
      });
    } finally {
      await fixture.close();
    }
  });

  it('fails closed when the server is down: the tool does not run and the model learns why', async () => {
    const port = await closedPort();
    const service = new CountersignClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: 'cs_unused',
      retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 5 },
    });
    const { ran, tools } = bankTools();
    const model = scriptedModel([pay('call-1', 'bob', 50)]);
    await generateText({
      model,
      tools: withApproval(tools, { gate: createGate({ policy: testPolicy, service }) }),
      prompt: 'pay',
      stopWhen: isStepCount(3),
    });
    expect(ran).toEqual([]);
    expect(toolOutputsSeen(model)['call-1']).toMatchObject({
      value: {
        denied: true,
        reason: 'unavailable',
        message: expect.stringContaining('could not be reached'),
      },
    });
  });
});

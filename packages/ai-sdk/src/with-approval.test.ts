import { generateText, isStepCount, tool } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { GateDecision } from './core-types.js';
import { fakeGate, textResult, toolCallResult } from './test-support/fake-gate.js';
import { isWrappedTool, withApproval } from './with-approval.js';

function setup(decide: Parameters<typeof fakeGate>[0]) {
  const ran: unknown[] = [];
  const transfer = tool({
    inputSchema: z.object({ to: z.string(), amount: z.number().max(1000) }),
    contextSchema: z.object({ runId: z.string() }),
    execute: async (input) => {
      ran.push(input);
      return { ok: true, sent: input.amount };
    },
  });
  const fake = fakeGate(decide);
  const tools = withApproval({ transfer }, { gate: fake.gate });
  const model = new MockLanguageModelV4({
    doGenerate: [
      toolCallResult([{ id: 'call-1', name: 'transfer', input: { to: 'bob', amount: 50 } }]),
      textResult('done'),
    ],
  });
  const run = () =>
    generateText({
      model,
      tools,
      prompt: 'pay bob',
      stopWhen: isStepCount(3),
      toolsContext: { transfer: { runId: 'run-7' } },
    });
  return { ran, fake, model, run };
}

const allow = (args: Record<string, unknown>, edited = false): GateDecision => ({
  outcome: 'allow',
  args,
  edited,
  fingerprint: 'sha256:x',
  requestId: 'req_1',
});

function lastToolOutput(model: MockLanguageModelV4) {
  const prompt = model.doGenerateCalls[1]?.prompt ?? [];
  const tool = prompt.at(-1);
  if (tool?.role !== 'tool') throw new Error('expected a tool message');
  const part = tool.content[0];
  if (part?.type !== 'tool-result') throw new Error('expected a tool result');
  return part.output;
}

describe('withApproval', () => {
  it('runs an approved call and hands the gate the call id, run id and input schema', async () => {
    const { ran, fake, run } = setup((input) => allow(input.args));
    const result = await run();
    expect(ran).toEqual([{ to: 'bob', amount: 50 }]);
    expect(result.text).toBe('done');
    const input = fake.inputs[0];
    expect(input).toMatchObject({
      toolName: 'transfer',
      toolCallId: 'call-1',
      runId: 'run-7',
      args: { to: 'bob', amount: 50 },
    });
    expect(input?.inputSchema).toMatchObject({ type: 'object', required: ['to', 'amount'] });
  });

  it('returns a readable denial instead of running a rejected call', async () => {
    const { ran, model, run } = setup(() => ({
      outcome: 'deny',
      reason: 'rejected',
      message: 'A human reviewer rejected this call: too much.',
      requestId: 'req_9',
    }));
    await run();
    expect(ran).toEqual([]);
    expect(lastToolOutput(model)).toEqual({
      type: 'json',
      value: {
        denied: true,
        reason: 'rejected',
        message: 'A human reviewer rejected this call: too much.',
        requestId: 'req_9',
      },
    });
  });

  it('runs edited arguments only after the tool schema accepted them', async () => {
    const seen: unknown[] = [];
    const { ran, run } = setup(async (input) => {
      await expect(input.validateArgs?.({ to: 'bob', amount: 5000 })).rejects.toThrow(
        /input schema/,
      );
      const validated = await input.validateArgs?.({ to: 'carol', amount: 20 });
      seen.push(validated);
      return allow((validated ?? {}) as Record<string, unknown>, true);
    });
    await run();
    expect(seen).toEqual([{ to: 'carol', amount: 20 }]);
    expect(ran).toEqual([{ to: 'carol', amount: 20 }]);
  });

  it("returns the reviewer's answer as the result", async () => {
    const { ran, model, run } = setup(() => ({
      outcome: 'respond',
      response: { note: 'use IBAN' },
      message: 'x',
      requestId: 'r',
    }));
    await run();
    expect(ran).toEqual([]);
    expect(lastToolOutput(model)).toEqual({ type: 'json', value: { note: 'use IBAN' } });
  });

  it('fails closed when the gate throws', async () => {
    const { ran, model, run } = setup(() => {
      throw new Error('connect ECONNREFUSED');
    });
    await run();
    expect(ran).toEqual([]);
    expect(lastToolOutput(model)).toMatchObject({
      type: 'json',
      value: { denied: true, reason: 'unavailable' },
    });
  });

  it('does not run a call the gate left pending (gate default wait timeout)', async () => {
    const { ran, model, run } = setup(() => ({
      outcome: 'pending',
      requestId: 'req_open',
      message: 'This call is waiting for a human decision (request req_open).',
      request: {} as never,
    }));
    await run();
    expect(ran).toEqual([]);
    expect(lastToolOutput(model)).toMatchObject({
      value: { denied: true, reason: 'pending', requestId: 'req_open' },
    });
  });

  it('skips the gate for calls `require` says need no approval', async () => {
    const ran: unknown[] = [];
    const fake = fakeGate(() => ({ outcome: 'deny', reason: 'policy', message: 'no' }));
    const echo = tool({
      inputSchema: z.object({ n: z.number() }),
      execute: async ({ n }) => ran.push(n),
    });
    const tools = withApproval(
      { echo },
      { gate: fake.gate, require: (input) => (input as { n: number }).n > 10 },
    );
    const call = (n: number) =>
      tools.echo.execute?.({ n }, { toolCallId: `c${n}`, messages: [], context: {} });
    await call(1);
    expect(await call(50)).toMatchObject({ denied: true, reason: 'policy' });
    expect(ran).toEqual([1]);
    expect(fake.inputs.map((input) => input.args)).toEqual([{ n: 50 }]);
  });

  it('passes the abort signal and keeps streaming tools streaming', async () => {
    const fake = fakeGate((input) => allow(input.args));
    const ticker = tool({
      inputSchema: z.object({ n: z.number() }),
      async *execute({ n }) {
        for (let i = 1; i <= n; i++) yield i;
      },
    });
    const wrapped = withApproval(ticker, { gate: fake.gate, name: 'ticker' });
    const signal = new AbortController().signal;
    const result = wrapped.execute?.(
      { n: 3 },
      { toolCallId: 't', messages: [], abortSignal: signal, context: {} },
    );
    const values: unknown[] = [];
    for await (const value of result as AsyncIterable<unknown>) values.push(value);
    expect(values).toEqual([1, 2, 3]);
    expect(fake.inputs[0]?.signal).toBe(signal);
    expect(isWrappedTool(wrapped)).toBe(true);
  });

  it('rejects bad configuration at construction', () => {
    const t = tool({ inputSchema: z.object({}), execute: async () => 'x' });
    const { gate } = fakeGate(() => allow({}));
    expect(() => withApproval(t, { gate } as never)).toThrow(/name is required/);
    expect(() => withApproval({ t }, { gate: {} as never })).toThrow(/gate must be/);
    expect(() => withApproval({ t }, { gate, policy: {} as never })).toThrow(/either/);
    expect(() => withApproval({ t }, { gate, require: 'yes' as never })).toThrow(/require/);
  });
});

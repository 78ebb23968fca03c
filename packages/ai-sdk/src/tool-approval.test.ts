import { generateText, isStepCount, type ModelMessage, tool } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { GateDecision } from './core-types.js';
import { fakeGate, textResult, toolCallResult } from './test-support/fake-gate.js';
import { countersignToolApproval } from './tool-approval.js';
import { withApproval } from './with-approval.js';

const approved = (args: Record<string, unknown>, edited = false): GateDecision => ({
  outcome: 'allow',
  args,
  edited,
  fingerprint: 'sha256:x',
  requestId: 'req_1',
  approvedBy: ['user:alice'],
});

function setup(
  decide: Parameters<typeof fakeGate>[0],
  options: { wrap?: boolean; needsApproval?: boolean } = {},
) {
  const ran: unknown[] = [];
  const base = tool({
    inputSchema: z.object({ to: z.string(), amount: z.number() }),
    ...(options.needsApproval ? { needsApproval: true } : {}),
    execute: async (input) => {
      ran.push(input);
      return 'sent';
    },
  });
  const fake = fakeGate(decide);
  const tools = options.wrap ? withApproval({ pay: base }, { gate: fake.gate }) : { pay: base };
  const model = new MockLanguageModelV4({
    doGenerate: [
      toolCallResult([{ id: 'call-1', name: 'pay', input: { to: 'bob', amount: 50 } }]),
      textResult('ok'),
    ],
  });
  const toolApproval = countersignToolApproval({ gate: fake.gate });
  const run = (messages: ModelMessage[] = [{ role: 'user', content: 'pay bob' }]) =>
    generateText({ model, tools, toolApproval, messages, stopWhen: isStepCount(3) });
  return { ran, fake, model, run };
}

function secondPromptToolPart(model: MockLanguageModelV4) {
  const message = model.doGenerateCalls[1]?.prompt.at(-1);
  if (message?.role !== 'tool') throw new Error('expected a tool message');
  return message.content.find((part) => part.type === 'tool-result');
}

describe('countersignToolApproval', () => {
  it('turns an approval into an automatic SDK approval and runs the tool', async () => {
    const { ran, run } = setup((input) => approved(input.args));
    const result = await run();
    expect(ran).toEqual([{ to: 'bob', amount: 50 }]);
    const parts = result.content.filter((part) => part.type.startsWith('tool-approval'));
    expect(parts).toMatchObject([
      { type: 'tool-approval-request', isAutomatic: true },
      {
        type: 'tool-approval-response',
        approved: true,
        reason: expect.stringContaining('user:alice'),
      },
    ]);
  });

  it('turns a rejection into execution-denied carrying our message', async () => {
    const message = 'A human reviewer rejected this call: not today.';
    const { ran, model, run } = setup(() => ({
      outcome: 'deny',
      reason: 'rejected',
      message,
      requestId: 'r',
    }));
    await run();
    expect(ran).toEqual([]);
    expect(secondPromptToolPart(model)?.output).toEqual({
      type: 'execution-denied',
      reason: message,
    });
  });

  it('denies an edit for a tool that cannot run it, telling the model the new arguments', async () => {
    const { ran, model, run } = setup(() => approved({ to: 'bob', amount: 20 }, true));
    await run();
    expect(ran).toEqual([]);
    const output = secondPromptToolPart(model)?.output;
    expect(output).toMatchObject({ type: 'execution-denied' });
    expect(JSON.stringify(output)).toContain(
      'changed the arguments to {\\"to\\":\\"bob\\",\\"amount\\":20}',
    );
  });

  it('approves an edit for a withApproval tool, which runs the edited arguments', async () => {
    const { ran, fake, run } = setup(() => approved({ to: 'bob', amount: 20 }, true), {
      wrap: true,
    });
    await run();
    expect(ran).toEqual([{ to: 'bob', amount: 20 }]);
    // The bridge and the wrapped execute check the same call: same body, so the same request.
    const [first, second] = fake.inputs;
    expect(second?.args).toEqual(first?.args);
    expect(second?.toolCallId).toBe(first?.toolCallId);
  });

  it('sends needsApproval calls to Countersign (requireApproval) and runs them on approval', async () => {
    const { ran, fake, run } = setup((input) => approved(input.args), { needsApproval: true });
    const result = await run();
    expect(fake.inputs[0]?.requireApproval).toBe(true);
    expect(ran).toEqual([{ to: 'bob', amount: 50 }]);
    const requests = result.content.filter((part) => part.type === 'tool-approval-request');
    expect(requests).toMatchObject([{ isAutomatic: true }]);
  });

  it('does not set requireApproval for a tool without needsApproval', async () => {
    const { fake, run } = setup((input) => approved(input.args));
    await run();
    expect(fake.inputs[0]).not.toHaveProperty('requireApproval');
  });

  it('falls back to in-chat approval when a gate ignores requireApproval', async () => {
    const allow: GateDecision = {
      outcome: 'allow',
      args: {},
      edited: false,
      fingerprint: 'sha256:x',
    };
    const { ran, run } = setup(() => allow, { needsApproval: true });
    const result = await run();
    expect(ran).toEqual([]);
    expect(result.content.find((part) => part.type === 'tool-approval-request')).toMatchObject({
      toolCall: { toolName: 'pay' },
    });
    expect(result.finishReason).toBe('tool-calls');
  });

  it('lets a policy denial win over needsApproval', async () => {
    const { ran, model, run } = setup(
      () => ({ outcome: 'deny', reason: 'policy', message: 'No payments.' }),
      {
        needsApproval: true,
      },
    );
    await run();
    expect(ran).toEqual([]);
    expect(secondPromptToolPart(model)?.output).toEqual({
      type: 'execution-denied',
      reason: 'No payments.',
    });
  });

  it('denies a client-supplied approval while the Countersign request is still pending', async () => {
    const pending: GateDecision = {
      outcome: 'pending',
      requestId: 'req_p',
      message: 'waiting',
      request: {} as never,
    };
    const { ran, run } = setup(() => pending);
    const first = await run();
    const request = first.content.find((part) => part.type === 'tool-approval-request');
    expect(request).toMatchObject({ reason: expect.stringContaining('req_p') });
    const messages: ModelMessage[] = [
      { role: 'user', content: 'pay bob' },
      ...first.responseMessages,
      {
        role: 'tool',
        content: [
          { type: 'tool-approval-response', approvalId: request?.approvalId ?? '', approved: true },
        ],
      },
    ];
    const second = await run(messages);
    expect(ran).toEqual([]);
    const denied = second.responseMessages[0]?.content;
    expect(JSON.stringify(denied)).toContain('still pending');
  });

  it('says so when a call runs because the policy allows it on timeout', async () => {
    const { ran, run } = setup((input) => ({
      ...approved(input.args),
      approvedBy: [],
      expired: true,
    }));
    const result = await run();
    expect(ran).toHaveLength(1);
    expect(result.content.find((part) => part.type === 'tool-approval-response')).toMatchObject({
      approved: true,
      reason: expect.stringContaining('No decision before the deadline'),
    });
  });

  it('rejects bad configuration at construction', () => {
    expect(() => countersignToolApproval({ gate: 42 as never })).toThrow(/gate must be/);
    const { gate } = fakeGate(() => approved({}));
    expect(() => countersignToolApproval({ gate, waitTimeoutMs: -1 })).toThrow(/waitTimeoutMs/);
  });
});

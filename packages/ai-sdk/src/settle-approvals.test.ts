import { generateText, isStepCount, type ModelMessage, tool, type UIMessage } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { GateDecision } from './core-types.js';
import { settleToolApprovals } from './settle-model-messages.js';
import { settleUIMessageApprovals } from './settle-ui-messages.js';
import { fakeGate, textResult, toolCallResult } from './test-support/fake-gate.js';
import { countersignToolApproval } from './tool-approval.js';

const pending: GateDecision = {
  outcome: 'pending',
  requestId: 'req_1',
  message: 'waiting',
  request: {} as never,
};
const approved: GateDecision = {
  outcome: 'allow',
  args: { to: 'bob' },
  edited: false,
  fingerprint: 'sha256:x',
  requestId: 'req_1',
  approvedBy: ['user:mgr'],
};

function chat() {
  let decision = pending;
  const fake = fakeGate(() => decision);
  const ran: unknown[] = [];
  const tools = {
    pay: tool({
      inputSchema: z.object({ to: z.string() }),
      execute: async (input) => {
        ran.push(input);
        return 'paid';
      },
    }),
  };
  const model = new MockLanguageModelV4({
    doGenerate: [
      toolCallResult([{ id: 'call-1', name: 'pay', input: { to: 'bob' } }]),
      textResult('paid bob'),
    ],
  });
  const toolApproval = countersignToolApproval({ gate: fake.gate, waitTimeoutMs: 0 });
  const generate = (messages: ModelMessage[]) =>
    generateText({ model, tools, toolApproval, messages, stopWhen: isStepCount(3) });
  return { fake, ran, tools, generate, decide: (next: GateDecision) => (decision = next) };
}

describe('settleToolApprovals', () => {
  it('waits while Countersign is undecided, then appends the responses that continue the run', async () => {
    const { fake, ran, tools, generate, decide } = chat();
    const history: ModelMessage[] = [{ role: 'user', content: 'pay bob' }];
    const first = await generate(history);
    history.push(...first.responseMessages);
    const waiting = await settleToolApprovals(history, {
      gate: fake.gate,
      tools,
      waitTimeoutMs: 10,
    });
    expect(waiting.status).toBe('pending');
    expect(waiting.messages).toEqual(history);
    expect(fake.inputs.at(-1)).toMatchObject({
      toolCallId: 'call-1',
      args: { to: 'bob' },
      waitTimeoutMs: 10,
    });

    decide(approved);
    const settled = await settleToolApprovals(history, { gate: fake.gate, tools });
    expect(settled.status).toBe('settled');
    expect(settled.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: [
        {
          type: 'tool-approval-response',
          approved: true,
          reason: expect.stringContaining('user:mgr'),
        },
      ],
    });
    const second = await generate(settled.messages);
    expect(ran).toEqual([{ to: 'bob' }]);
    expect(second.text).toBe('paid bob');
    expect(await settleToolApprovals(settled.messages, { gate: fake.gate, tools })).toMatchObject({
      status: 'none',
    });
  });

  it('answers a denial with approved: false and our reason', async () => {
    const { fake, tools, generate, decide } = chat();
    const history: ModelMessage[] = [{ role: 'user', content: 'pay bob' }];
    history.push(...(await generate(history)).responseMessages);
    decide({
      outcome: 'deny',
      reason: 'expired',
      message: 'No one decided in time.',
      requestId: 'req_1',
    });
    const settled = await settleToolApprovals(history, { gate: fake.gate, tools });
    expect(settled.messages.at(-1)).toMatchObject({
      content: [
        { type: 'tool-approval-response', approved: false, reason: 'No one decided in time.' },
      ],
    });
  });
});

describe('settleUIMessageApprovals', () => {
  const uiMessages = (state: 'approval-requested' | 'approval-responded'): UIMessage[] => [
    { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'pay bob' }] },
    {
      id: 'a1',
      role: 'assistant',
      parts: [
        {
          type: 'tool-pay',
          toolCallId: 'call-1',
          state,
          input: { to: 'bob' },
          approval:
            state === 'approval-requested' ? { id: 'ap-1' } : { id: 'ap-1', approved: true },
        } as never,
      ],
    },
  ];

  it("withdraws a client-set approval while Countersign is undecided and applies Countersign's answer once decided", async () => {
    const { fake, tools, decide } = chat();
    const waiting = await settleUIMessageApprovals(uiMessages('approval-responded'), {
      gate: fake.gate,
      tools,
    });
    expect(waiting.status).toBe('pending');
    expect(waiting.messages[1]?.parts[0]).toMatchObject({
      state: 'approval-requested',
      approval: { id: 'ap-1' },
    });
    expect(waiting.messages[1]?.parts[0]).not.toHaveProperty('approval.approved');

    decide({
      outcome: 'deny',
      reason: 'rejected',
      message: 'A human reviewer rejected this call: no.',
      requestId: 'r',
    });
    const settled = await settleUIMessageApprovals(uiMessages('approval-responded'), {
      gate: fake.gate,
      tools,
    });
    expect(settled.status).toBe('settled');
    expect(settled.messages[1]?.parts[0]).toMatchObject({
      state: 'approval-responded',
      approval: { id: 'ap-1', approved: false, reason: 'A human reviewer rejected this call: no.' },
    });
  });

  it('does nothing without open approvals', async () => {
    const { fake, tools } = chat();
    const messages: UIMessage[] = [
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hi' }] },
    ];
    expect(await settleUIMessageApprovals(messages, { gate: fake.gate, tools })).toMatchObject({
      status: 'none',
    });
    expect(fake.inputs).toEqual([]);
  });
});

import { createGate, MAX_EXECUTION_ERROR_LENGTH, verifyReceipt } from '@countersign/core';
import { startingLate } from '@countersign/core/test';
import { generateText, isStepCount, type ModelMessage, streamText, tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { approvalOf } from './index.js';
import { scriptedModel, scriptedStreamModel, toolOutputsSeen } from './test-support/models.js';
import { type Fixture, startFixture, testPolicy } from './test-support/server-fixture.js';
import { countersignToolApproval } from './tool-approval.js';

const pay = (id: string, amount = 50) => ({
  id,
  name: 'transfer_funds',
  input: { to: 'bob', amount },
});

describe('countersignToolApproval: receipts and execution reports, against a real server', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await startFixture();
  });
  afterEach(() => fixture.close());

  /** A plain (unwrapped) transfer tool that records its approval and the server's view meanwhile. */
  function transfer(failWith?: string) {
    const seen: { receipt?: string | undefined; stateWhileRunning?: string | undefined }[] = [];
    const transfer_funds = tool({
      inputSchema: z.object({ to: z.string(), amount: z.number() }),
      execute: async (input, options) => {
        const approval = approvalOf(options);
        const request = approval?.requestId
          ? await fixture.reviewer.get(approval.requestId)
          : undefined;
        seen.push({ receipt: approval?.receipt, stateWhileRunning: request?.execution?.state });
        if (failWith !== undefined) throw new Error(failWith);
        return `sent ${input.amount}`;
      },
    });
    return { seen, tools: { transfer_funds } };
  }

  const bridge = (runId = 'run-1') => countersignToolApproval({ gate: fixture.gate, runId });

  it('generateText: execute gets a receipt for its exact call; executing while it runs, then succeeded', async () => {
    const { seen, tools } = transfer();
    const toolApproval = bridge();
    const [, decided] = await Promise.all([
      generateText({
        model: scriptedModel([pay('call-1')]),
        tools,
        prompt: 'pay',
        stopWhen: isStepCount(3),
        toolApproval,
        onToolExecutionEnd: toolApproval.onToolExecutionEnd,
      }),
      fixture.decideNext({ outcome: 'approve' }),
    ]);
    expect(seen).toEqual([{ receipt: expect.any(String), stateWhileRunning: 'executing' }]);
    const jwks = await fixture.agent.signingKeys();
    const claims = await verifyReceipt(seen[0]?.receipt, {
      toolName: 'transfer_funds',
      args: { to: 'bob', amount: 50 },
      jwks,
    });
    expect(claims.sub).toBe(decided.id);
    await expect(
      verifyReceipt(seen[0]?.receipt, {
        toolName: 'transfer_funds',
        args: { to: 'bob', amount: 51 },
        jwks,
      }),
    ).rejects.toThrow();
    const stored = await fixture.reviewer.get(decided.id);
    expect(stored.execution).toMatchObject({ state: 'succeeded', by: 'agent:ai-bot' });
  });

  it('streamText: a throwing tool is reported failed with a size-capped error; the approval never runs again', async () => {
    const { seen, tools } = transfer(`the bank is closed ${'!'.repeat(5000)}`);
    const toolApproval = bridge();
    const run = () =>
      streamText({
        model: scriptedStreamModel([pay('call-1')]),
        tools,
        prompt: 'pay',
        stopWhen: isStepCount(3),
        toolApproval,
        onToolExecutionEnd: toolApproval.onToolExecutionEnd,
      }).consumeStream();
    const [, decided] = await Promise.all([run(), fixture.decideNext({ outcome: 'approve' })]);
    const stored = await fixture.reviewer.get(decided.id);
    expect(seen).toEqual([{ receipt: stored.resolution?.receipt, stateWhileRunning: 'executing' }]);
    expect(stored.execution).toMatchObject({ state: 'failed' });
    expect(stored.execution?.error).toContain('the bank is closed');
    expect(stored.execution?.error?.length).toBeLessThanOrEqual(MAX_EXECUTION_ERROR_LENGTH);

    // The same run and tool call re-attach to the approval, which was already handed out.
    const model = scriptedModel([pay('call-1')]);
    await generateText({ model, tools, prompt: 'pay', stopWhen: isStepCount(3), toolApproval });
    expect(seen).toHaveLength(1);
    expect(toolOutputsSeen(model)['call-1']).toEqual({
      type: 'execution-denied',
      reason: expect.stringContaining('already running or ran'),
    });
  });

  it('concurrent runs with the same tool call id each get the receipt of their own call', async () => {
    const { seen, tools } = transfer();
    const generate = (runId: string, amount: number) => {
      const toolApproval = bridge(runId);
      return generateText({
        model: scriptedModel([pay('call-1', amount)]),
        tools,
        prompt: 'pay',
        stopWhen: isStepCount(3),
        toolApproval,
        onToolExecutionEnd: toolApproval.onToolExecutionEnd,
      });
    };
    const approveBoth = async () => {
      const requests = await fixture.pending(2);
      await Promise.all(requests.map((r) => fixture.reviewer.decide(r.id, { outcome: 'approve' })));
    };
    await Promise.all([generate('run-a', 10), generate('run-b', 20), approveBoth()]);
    const jwks = await fixture.agent.signingKeys();
    const amounts = await Promise.all(
      seen.map(async ({ receipt }) => {
        for (const amount of [10, 20]) {
          const args = { to: 'bob', amount };
          const ok = await verifyReceipt(receipt, { toolName: 'transfer_funds', args, jwks })
            .then(() => true)
            .catch(() => false);
          if (ok) return amount;
        }
        return undefined;
      }),
    );
    expect(amounts.sort()).toEqual([10, 20]);
    const states = (await fixture.reviewer.list({})).items.map((r) => r.execution?.state);
    expect(states).toEqual(['succeeded', 'succeeded']);
  });

  it('an approval decided later runs on the continuation call with its receipt', async () => {
    const { seen, tools } = transfer();
    const toolApproval = countersignToolApproval({
      gate: fixture.gate,
      runId: 'run-later',
      waitTimeoutMs: 0,
    });
    const generate = (messages: ModelMessage[]) =>
      generateText({
        model: scriptedModel([pay('call-1')]),
        tools,
        messages,
        toolApproval,
        onToolExecutionEnd: toolApproval.onToolExecutionEnd,
        stopWhen: isStepCount(3),
      });
    const history: ModelMessage[] = [{ role: 'user', content: 'pay bob' }];
    const first = await generate(history);
    history.push(...first.responseMessages);
    const request = first.content.find((part) => part.type === 'tool-approval-request');
    expect(seen).toEqual([]);
    const decided = await fixture.decideNext({ outcome: 'approve' });
    await generate([
      ...history,
      {
        role: 'tool',
        content: [
          {
            type: 'tool-approval-response',
            approvalId: request?.approvalId ?? '',
            approved: true,
          },
        ],
      },
    ]);
    // The tool gets the receipt the server re-signed as the call started (same id, fresh times).
    const ran = await fixture.reviewer.get(decided.id);
    expect(seen).toEqual([{ receipt: ran.resolution?.receipt, stateWhileRunning: 'executing' }]);
    expect(ran.resolution?.receiptId).toBe(decided.resolution?.receiptId);
    expect(ran.execution?.state).toBe('succeeded');
  });
});

describe('countersignToolApproval: a call that starts after its receipt expired (manual clock)', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await startFixture({ manualClock: true });
  });
  afterEach(() => fixture.close());

  it('execute gets the receipt the server re-signed as the call started', async () => {
    const receipts: (string | undefined)[] = [];
    const transfer_funds = tool({
      inputSchema: z.object({ to: z.string(), amount: z.number() }),
      execute: async (_input, options) => {
        receipts.push(approvalOf(options)?.receipt);
        return 'sent';
      },
    });
    // Past the server's default receipt lifetime (10 minutes) between approval and start.
    const service = startingLate(fixture.agent, () => fixture.server.clock.advance(11 * 60_000));
    const toolApproval = countersignToolApproval({
      gate: createGate({ policy: testPolicy, service }),
      runId: 'run-late',
    });
    const [, decided] = await Promise.all([
      generateText({
        model: scriptedModel([pay('call-1')]),
        tools: { transfer_funds },
        prompt: 'pay',
        stopWhen: isStepCount(3),
        toolApproval,
        onToolExecutionEnd: toolApproval.onToolExecutionEnd,
      }),
      fixture.decideNext({ outcome: 'approve' }),
    ]);
    const verifiesNow = async (receipt: string | undefined) =>
      verifyReceipt(receipt, {
        toolName: 'transfer_funds',
        args: { to: 'bob', amount: 50 },
        jwks: await fixture.agent.signingKeys(),
        now: new Date(fixture.server.clock.now()),
      });
    await expect(verifiesNow(decided.resolution?.receipt)).rejects.toMatchObject({
      reason: 'expired',
    });
    expect((await verifiesNow(receipts[0])).sub).toBe(decided.id);
    expect((await fixture.reviewer.get(decided.id)).execution?.state).toBe('succeeded');
  });
});

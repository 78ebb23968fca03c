import { verifyReceipt } from '@countersign/core';
import { approvalOf } from '@countersign/core/adapter';
import { generateText, isStepCount, tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedModel } from './test-support/models.js';
import { type Fixture, startFixture } from './test-support/server-fixture.js';
import { withApproval } from './with-approval.js';

const pay = (id: string) => ({ id, name: 'transfer_funds', input: { to: 'bob', amount: 50 } });

describe('withApproval: receipts and execution reports, against a real server', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await startFixture();
  });
  afterEach(() => fixture.close());

  function transfer(behaviour: 'succeed' | 'fail') {
    const receipts: (string | undefined)[] = [];
    const transfer_funds = tool({
      inputSchema: z.object({ to: z.string(), amount: z.number() }),
      execute: async (input, options) => {
        receipts.push(approvalOf(options)?.receipt);
        if (behaviour === 'fail') throw new Error('the bank is closed');
        return { ok: true, ...input };
      },
    });
    return { receipts, tools: { transfer_funds } };
  }

  const run = (tools: ReturnType<typeof transfer>['tools'], id = 'call-1') =>
    generateText({
      model: scriptedModel([pay(id)]),
      tools: withApproval(tools, { gate: fixture.gate, runId: 'run-1' }),
      prompt: 'pay',
      stopWhen: isStepCount(3),
    });

  it('hands execute a receipt that verifies for this exact call, and reports executing then succeeded', async () => {
    const { receipts, tools } = transfer('succeed');
    const [, decided] = await Promise.all([run(tools), fixture.decideNext({ outcome: 'approve' })]);
    expect(receipts).toHaveLength(1);
    const jwks = await fixture.agent.signingKeys();
    const claims = await verifyReceipt(receipts[0], {
      toolName: 'transfer_funds',
      args: { to: 'bob', amount: 50 },
      jwks,
    });
    expect(claims).toMatchObject({ sub: decided.id, approvers: ['user:alice'], rule: 'payments' });
    const stored = await fixture.reviewer.get(decided.id);
    expect(stored.execution).toMatchObject({ state: 'succeeded', by: 'agent:ai-bot' });
    expect(stored.execution?.finishedAt).toBeDefined();
  });

  it('reports failed with the error, and never runs the same approval again', async () => {
    const { receipts, tools } = transfer('fail');
    const [, decided] = await Promise.all([run(tools), fixture.decideNext({ outcome: 'approve' })]);
    const stored = await fixture.reviewer.get(decided.id);
    expect(stored.execution).toMatchObject({ state: 'failed' });
    expect(stored.execution?.error).toContain('the bank is closed');
    // The same run and tool call re-attach to the approval, which was already handed out.
    const again = await run(tools);
    expect(receipts).toHaveLength(1);
    const output = again.steps[0]?.toolResults[0]?.output as { reason?: string };
    expect(output).toMatchObject({ denied: true, reason: 'already_ran', requestId: decided.id });
  });

  it('streams a generator tool with the approval and reports it succeeded once it is done', async () => {
    const receipts: (string | undefined)[] = [];
    const transfer_funds = tool({
      inputSchema: z.object({ to: z.string(), amount: z.number() }),
      async *execute(input, options) {
        receipts.push(approvalOf(options)?.receipt);
        yield { status: 'sending' };
        yield { status: 'sent', ...input };
      },
    });
    const [result, decided] = await Promise.all([
      run({ transfer_funds } as never, 'call-stream'),
      fixture.decideNext({ outcome: 'approve' }),
    ]);
    expect(result.steps[0]?.toolResults[0]?.output).toMatchObject({ status: 'sent', amount: 50 });
    // The receipt re-signed as the call started, which the request keeps.
    const stored = await fixture.reviewer.get(decided.id);
    expect(receipts).toEqual([stored.resolution?.receipt]);
    expect(stored.execution?.state).toBe('succeeded');
  });
});

import { MAX_EXECUTION_ERROR_LENGTH, verifyReceipt } from '@countersign/core';
import type { CallbackManagerForToolRun } from '@langchain/core/callbacks/manager';
import { StructuredTool } from '@langchain/core/tools';
import { AIMessage, createAgent, fakeModel, tool } from 'langchain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CountersignCallbackHandler } from './callback-handler.js';
import { approvalOf } from './index.js';
import { bankPolicy, toolMessages } from './test-support/fixtures.js';
import { startCountersign } from './test-support/server-fixture.js';

type Countersign = Awaited<ReturnType<typeof startCountersign>>;
const ask = { messages: [{ role: 'user', content: 'pay' }] };
const bob = { name: 'transfer_funds', args: { to: 'bob', amount: 500 }, id: 'call_bob' };

describe('CountersignCallbackHandler: receipts and execution reports, against a real server', () => {
  let countersign: Countersign;
  beforeEach(async () => {
    countersign = await startCountersign();
  });
  afterEach(async () => {
    await countersign.server.close();
  });

  /** A transfer tool that records its receipt and the execution state the server shows meanwhile. */
  function receiptTool(failWith?: string) {
    const seen: { receipt?: string | undefined; stateWhileRunning?: string | undefined }[] = [];
    const transfer = tool(
      async (args, config) => {
        const approval = approvalOf(config);
        const request = approval?.requestId
          ? await countersign.reviewer.get(approval.requestId)
          : undefined;
        seen.push({ receipt: approval?.receipt, stateWhileRunning: request?.execution?.state });
        if (failWith !== undefined) throw new Error(failWith);
        return `sent ${args.amount} to ${args.to}`;
      },
      {
        name: 'transfer_funds',
        description: 'Send money to someone',
        schema: z.object({ to: z.string().min(1), amount: z.number().positive() }),
      },
    );
    return { transfer, seen };
  }

  const handler = () =>
    new CountersignCallbackHandler({ policy: bankPolicy(), service: countersign.agentClient });
  const agentWith = (transfer: ReturnType<typeof receiptTool>['transfer']) =>
    createAgent({
      model: fakeModel().respondWithTools([bob]).respond(new AIMessage('done')),
      tools: [transfer],
    });

  it('createAgent: the tool gets a receipt for its exact call, reported executing then succeeded', async () => {
    const { transfer, seen } = receiptTool();
    const config = { callbacks: [handler()], configurable: { thread_id: 'cb-receipt-1' } };
    const [out, decided] = await Promise.all([
      agentWith(transfer).invoke(ask, config),
      countersign.approveNext(),
    ]);
    expect(toolMessages(out.messages)[0]?.content).toBe('sent 500 to bob');
    expect(seen).toEqual([{ receipt: expect.any(String), stateWhileRunning: 'executing' }]);
    const jwks = await countersign.agentClient.signingKeys();
    const claims = await verifyReceipt(seen[0]?.receipt, {
      toolName: 'transfer_funds',
      args: bob.args,
      jwks,
    });
    expect(claims.sub).toBe(decided.id);
    await expect(
      verifyReceipt(seen[0]?.receipt, {
        toolName: 'transfer_funds',
        args: { ...bob.args, amount: 501 },
        jwks,
      }),
    ).rejects.toThrow();
    const stored = await countersign.reviewer.get(decided.id);
    expect(stored.execution).toMatchObject({ state: 'succeeded', by: 'agent:lc-bot' });
  });

  it('createAgent: a throwing tool is reported failed with a size-capped error; the approval never runs again', async () => {
    const { transfer, seen } = receiptTool(`the bank is closed ${'!'.repeat(5000)}`);
    const config = { callbacks: [handler()], configurable: { thread_id: 'cb-receipt-2' } };
    const [out, decided] = await Promise.all([
      agentWith(transfer).invoke(ask, config),
      countersign.approveNext(),
    ]);
    expect(toolMessages(out.messages)[0]?.status).toBe('error');
    const stored = await countersign.reviewer.get(decided.id);
    expect(stored.execution).toMatchObject({ state: 'failed' });
    expect(stored.execution?.error).toContain('the bank is closed');
    expect(stored.execution?.error?.length).toBeLessThanOrEqual(MAX_EXECUTION_ERROR_LENGTH);
    // The same thread and tool call re-attach to the approval, which was already handed out.
    const again = await agentWith(transfer).invoke(ask, config);
    expect(seen).toHaveLength(1);
    expect(toolMessages(again.messages)[0]).toMatchObject({
      status: 'error',
      content: expect.stringContaining('already running or ran'),
    });
  });

  it('a tool invoked directly (no tool call id) finds its approval by its run', async () => {
    const { transfer, seen } = receiptTool();
    const [result, decided] = await Promise.all([
      transfer.invoke(bob.args, { callbacks: [handler()] }),
      countersign.approveNext(),
    ]);
    expect(result).toBe('sent 500 to bob');
    // The tool gets the receipt the server re-signed as the call started (same id, fresh times).
    const ran = await countersign.reviewer.get(decided.id);
    expect(seen).toEqual([{ receipt: ran.resolution?.receipt, stateWhileRunning: 'executing' }]);
    expect(ran.resolution?.receiptId).toBe(decided.resolution?.receiptId);
    expect(ran.execution?.state).toBe('succeeded');
  });

  it('a StructuredTool subclass finds its approval through its run manager', async () => {
    const receipts: (string | undefined)[] = [];
    class Transfer extends StructuredTool {
      name = 'transfer_funds';
      description = 'Send money to someone';
      schema = z.object({ to: z.string(), amount: z.number() });
      protected override async _call(
        args: { to: string; amount: number },
        runManager?: CallbackManagerForToolRun,
      ) {
        receipts.push(approvalOf(runManager)?.receipt);
        return `sent ${args.amount} to ${args.to}`;
      }
    }
    const [, decided] = await Promise.all([
      // A subclass is serialized without its name: the run name tells the handler which tool it is.
      new Transfer().invoke(bob.args, { callbacks: [handler()], runName: 'transfer_funds' }),
      countersign.approveNext(),
    ]);
    const ran = await countersign.reviewer.get(decided.id);
    expect(receipts).toEqual([ran.resolution?.receipt]);
    expect(ran.execution?.state).toBe('succeeded');
  });
});

import { definePolicy } from '@countersign/core';
import { DynamicStructuredTool, StructuredTool } from '@langchain/core/tools';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CountersignCallbackHandler, ToolBlockedError } from './callback-handler.js';
import { toolMessages } from './test-support/fixtures.js';
import { startCountersign } from './test-support/server-fixture.js';

type Countersign = Awaited<ReturnType<typeof startCountersign>>;
const ask = { messages: [{ role: 'user', content: 'pay' }] };
const args = { to: 'bob', amount: 500 };

/** Default allow, so a call gated under the wrong name would run without anyone asking. */
const allowButTransfers = () =>
  definePolicy(
    {
      version: 1,
      default: 'allow',
      rules: [{ name: 'transfers', tools: ['transfer', 'dyn_transfer'], action: 'require' }],
    },
    'names-policy',
  );

/** A StructuredTool subclass: LangChain reports it to callbacks as "TransferTool". */
function transferSubclass() {
  const executed: unknown[] = [];
  class TransferTool extends StructuredTool {
    name = 'transfer';
    description = 'Send money to someone';
    schema = z.object({ to: z.string(), amount: z.number() });
    protected override async _call(input: { to: string; amount: number }) {
      executed.push(input);
      return `sent ${input.amount} to ${input.to}`;
    }
  }
  return { tool: new TransferTool(), executed };
}

function dynamicTransfer() {
  const executed: unknown[] = [];
  const tool = new DynamicStructuredTool({
    name: 'dyn_transfer',
    description: 'Send money to someone',
    schema: z.object({ to: z.string(), amount: z.number() }),
    func: async (input: { to: string; amount: number }) => {
      executed.push(input);
      return `sent ${input.amount} to ${input.to}`;
    },
  });
  return { tool, executed };
}

describe('CountersignCallbackHandler gates a tool under its own name, against a real server', () => {
  let countersign: Countersign;
  beforeEach(async () => {
    countersign = await startCountersign();
  });
  afterEach(async () => {
    await countersign.server.close();
  });

  const handler = () =>
    new CountersignCallbackHandler({
      policy: allowButTransfers(),
      service: countersign.agentClient,
    });

  /** Runs `started`, and reports whether it finished before a request reached the reviewer. */
  async function firstOf(started: Promise<unknown>) {
    return Promise.race([
      started.then(() => 'finished without a request' as const),
      countersign.nextPending(),
    ]);
  }

  // v2 sends each tool call to the tools node on its own; v1 runs the last AI message's calls.
  it.each([
    { kind: 'a StructuredTool subclass', make: transferSubclass, name: 'transfer', version: 'v2' },
    { kind: 'a StructuredTool subclass', make: transferSubclass, name: 'transfer', version: 'v1' },
    { kind: 'a DynamicStructuredTool', make: dynamicTransfer, name: 'dyn_transfer', version: 'v2' },
  ] as const)(
    'createAgent $version: $kind with a require rule waits for the reviewer',
    async ({ make, name, version }) => {
      const { tool, executed } = make();
      const agent = createAgent({
        model: fakeModel()
          .respondWithTools([{ name, args, id: 'call_1' }])
          .respond(new AIMessage('done')),
        tools: [tool],
        version,
      });
      const running = agent.invoke(ask, {
        callbacks: [handler()],
        configurable: { thread_id: `names-${name}-${version}` },
      });
      const request = await firstOf(running);
      expect(request).toMatchObject({ tool: { name, args }, toolCallId: 'call_1' });
      expect(executed).toEqual([]);
      if (typeof request === 'string') throw new Error(request);
      await countersign.reviewer.decide(request.id, { outcome: 'approve' });
      const out = await running;
      expect(executed).toEqual([args]);
      expect(toolMessages(out.messages)[0]?.content).toBe('sent 500 to bob');
    },
  );

  it('a subclass invoked directly without a runName is blocked, not let through under its class name', async () => {
    const { tool, executed } = transferSubclass();
    for (const input of [
      args,
      { name: 'transfer', args, id: 'call_2', type: 'tool_call' as const },
    ]) {
      const error = await tool.invoke(input, { callbacks: [handler()] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolBlockedError);
      expect((error as ToolBlockedError).message).toContain('TransferTool');
      expect((error as ToolBlockedError).decision).toMatchObject({ reason: 'invalid' });
    }
    expect(executed).toEqual([]);
    expect(await countersign.allRequests()).toEqual([]);
  });

  it('a subclass invoked directly with its runName and a DynamicStructuredTool invoked directly are gated', async () => {
    const subclass = transferSubclass();
    const dynamic = dynamicTransfer();
    const calls = [
      [subclass, () => subclass.tool.invoke(args, { callbacks: [handler()], runName: 'transfer' })],
      [dynamic, () => dynamic.tool.invoke(args, { callbacks: [handler()] })],
    ] as const;
    for (const [{ executed }, call] of calls) {
      const running = call();
      const request = await firstOf(running);
      expect(executed).toEqual([]);
      if (typeof request === 'string') throw new Error(request);
      await countersign.reviewer.decide(request.id, { outcome: 'approve' });
      await expect(running).resolves.toBe('sent 500 to bob');
      expect(executed).toEqual([args]);
    }
    const names = (await countersign.allRequests()).map((request) => request.tool?.name);
    expect(names.sort()).toEqual(['dyn_transfer', 'transfer']);
  });
});

import type { PolicyDefinition } from '@countersign/core';
import { isInterrupted, MemorySaver } from '@langchain/langgraph';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countersignMiddleware } from './middleware.js';
import { resumeCountersign } from './resume.js';
import { bankPolicy, toolMessages, transferTool } from './test-support/fixtures.js';
import { startCountersign } from './test-support/server-fixture.js';

type Countersign = Awaited<ReturnType<typeof startCountersign>>;
type ScriptedCall = { name: string; args: object; id: string };
const ask = { messages: [{ role: 'user', content: 'pay' }] };

function bankAgent(
  countersign: Countersign,
  calls: ScriptedCall[] | undefined,
  extra: {
    checkpointer?: MemorySaver;
    waitTimeoutMs?: number;
    approval?: PolicyDefinition['approval'];
  } = {},
) {
  const { transfer, executed } = transferTool();
  const model = calls
    ? fakeModel().respondWithTools(calls).respond(new AIMessage('done'))
    : fakeModel().respond(new AIMessage('done'));
  const agent = createAgent({
    model,
    tools: [transfer],
    ...(extra.checkpointer ? { checkpointer: extra.checkpointer } : {}),
    middleware: [
      countersignMiddleware({
        policy: bankPolicy(extra.approval),
        service: countersign.agentClient,
        ...(extra.waitTimeoutMs ? { waitTimeoutMs: extra.waitTimeoutMs } : {}),
      }),
    ],
  });
  return { agent, model, executed };
}

const bob = { name: 'transfer_funds', args: { to: 'bob', amount: 500 }, id: 'call_bob' };

describe('countersignMiddleware against a real Countersign server', () => {
  let countersign: Countersign;
  beforeEach(async () => {
    countersign = await startCountersign({ manualClock: true });
  });
  afterEach(async () => {
    await countersign.server.close();
  });

  it('waits for the approval, then runs the tool', async () => {
    const { agent, executed } = bankAgent(countersign, [bob]);
    const run = agent.invoke(ask, { configurable: { thread_id: 'approve-1' } });
    const request = await countersign.nextPending();
    expect(executed).toEqual([]);
    expect(request).toMatchObject({ runId: 'approve-1', toolCallId: 'call_bob' });
    await countersign.reviewer.decide(request.id, { outcome: 'approve' });
    const out = await run;
    expect(executed).toEqual([{ to: 'bob', amount: 500 }]);
    expect(toolMessages(out.messages)[0]?.content).toBe('sent 500 to bob');
  });

  it("shows the model the reviewer's rejection reason and never runs the tool", async () => {
    const { agent, executed, model } = bankAgent(countersign, [bob]);
    const run = agent.invoke(ask, { configurable: { thread_id: 'reject-1' } });
    await countersign.decideEach({
      call_bob: { outcome: 'reject', reason: 'Bob is not on the vendor list' },
    });
    await run;
    expect(executed).toEqual([]);
    const [seen] = toolMessages(model.calls[1]?.messages ?? []);
    expect(seen?.status).toBe('error');
    expect(seen?.content).toContain('rejected');
    expect(seen?.content).toContain('Bob is not on the vendor list');
  });

  it('runs the edited arguments and says what changed', async () => {
    const { agent, executed, model } = bankAgent(countersign, [bob]);
    const run = agent.invoke(ask, { configurable: { thread_id: 'edit-1' } });
    await countersign.decideEach({
      call_bob: { outcome: 'edit', args: { to: 'bob', amount: 75 } },
    });
    await run;
    expect(executed).toEqual([{ to: 'bob', amount: 75 }]);
    const [seen] = toolMessages(model.calls[1]?.messages ?? []);
    expect(seen?.content).toContain('user:alice');
    expect(seen?.content).toContain('amount: 500 → 75');
    expect(seen?.content).toContain('sent 75 to bob');
  });

  it("returns the reviewer's answer as the tool result", async () => {
    const approval = { kind: 'clarification' as const, question: 'How should Bob be paid?' };
    const { agent, executed } = bankAgent(countersign, [bob], { approval });
    const run = agent.invoke(ask, { configurable: { thread_id: 'respond-1' } });
    await countersign.decideEach({
      call_bob: { outcome: 'respond', response: 'Paid by cheque already.' },
    });
    const out = await run;
    expect(executed).toEqual([]);
    expect(toolMessages(out.messages)[0]).toMatchObject({
      status: 'success',
      content: 'Paid by cheque already.',
    });
  });

  it('reports expiry as expiry, not as a rejection', async () => {
    const { agent, executed, model } = bankAgent(countersign, [bob], {
      approval: { timeout: '48h' },
    });
    const run = agent.invoke(ask, { configurable: { thread_id: 'expire-1' } });
    await countersign.nextPending();
    await countersign.server.clock.advance(49 * 3_600_000);
    await run;
    expect(executed).toEqual([]);
    const [seen] = toolMessages(model.calls[1]?.messages ?? []);
    expect(seen?.status).toBe('error');
    expect(seen?.content).toMatch(/expired/);
    expect(seen?.content).toMatch(/not a rejection/);
  });

  it('decides parallel calls independently: one rejection keeps the approved ones', async () => {
    const calls = [
      { name: 'transfer_funds', args: { to: 'eve', amount: 9000 }, id: 'call_m' },
      { name: 'transfer_funds', args: { to: 'carol', amount: 30 }, id: 'call_c' },
      { name: 'transfer_funds', args: { to: 'dave', amount: 40 }, id: 'call_d' },
    ];
    const { agent, executed, model } = bankAgent(countersign, calls);
    const run = agent.invoke(ask, { configurable: { thread_id: 'parallel-1' } });
    await countersign.decideEach({
      call_c: { outcome: 'approve' },
      call_m: { outcome: 'reject', reason: 'fraud suspected' },
      call_d: { outcome: 'edit', args: { to: 'dave', amount: 4 } },
    });
    await run;
    expect(executed).toEqual(
      expect.arrayContaining([
        { to: 'carol', amount: 30 },
        { to: 'dave', amount: 4 },
      ]),
    );
    expect(executed).toHaveLength(2);
    const seen = Object.fromEntries(
      toolMessages(model.calls[1]?.messages ?? []).map((m) => [m.id, m]),
    );
    expect(seen.call_m?.content).toContain('fraud suspected');
    expect(seen.call_c?.content).toBe('sent 30 to carol');
    expect(seen.call_d?.content).toContain('sent 4 to dave');
  });

  it('re-attaches to the same request after a restart in the middle of a wait', async () => {
    const checkpointer = new MemorySaver();
    const config = { configurable: { thread_id: 'restart-1' } };
    const first = bankAgent(countersign, [bob], { checkpointer });
    const controller = new AbortController();
    const crashed = first.agent.invoke(ask, { ...config, signal: controller.signal });
    const request = await countersign.nextPending();
    controller.abort(new Error('process killed'));
    await expect(crashed).rejects.toThrow();
    await countersign.reviewer.decide(request.id, { outcome: 'approve' });

    const second = bankAgent(countersign, undefined, { checkpointer });
    const out = await second.agent.invoke(null as never, config);
    expect(first.executed).toEqual([]);
    expect(second.executed).toEqual([{ to: 'bob', amount: 500 }]);
    expect(toolMessages(out.messages)[0]?.content).toBe('sent 500 to bob');
    expect(await countersign.allRequests()).toHaveLength(1);
  });

  it('pauses a durable run and resumes it from a new agent once decided, with one request', async () => {
    const checkpointer = new MemorySaver();
    const config = { configurable: { thread_id: 'durable-1' } };
    const first = bankAgent(countersign, [bob], { checkpointer, waitTimeoutMs: 50 });
    const paused = await first.agent.invoke(ask, config);
    expect(isInterrupted(paused)).toBe(true);
    const request = await countersign.nextPending();
    await countersign.reviewer.decide(request.id, { outcome: 'approve' });

    const second = bankAgent(countersign, undefined, { checkpointer, waitTimeoutMs: 50 });
    const out = await second.agent.invoke(
      (await resumeCountersign(second.agent, config)) as never,
      config,
    );
    expect(second.executed).toEqual([{ to: 'bob', amount: 500 }]);
    expect(out.messages.at(-1)?.content).toBe('done');
    expect(await countersign.allRequests()).toHaveLength(1);
  });
});

import { createFakeApprovalService } from '@countersign/core/test';
import { isInterrupted, MemorySaver } from '@langchain/langgraph';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { describe, expect, it } from 'vitest';
import { countersignMiddleware } from './middleware.js';
import { pendingApprovals, resumeCountersign } from './resume.js';
import { bankPolicy, toolMessages, transferTool } from './test-support/fixtures.js';
import { withApproval } from './with-approval.js';

const input = { messages: [{ role: 'user', content: 'pay bob and carol' }] };
const calls = [
  { name: 'transfer_funds', args: { to: 'bob', amount: 500 }, id: 'call_bob' },
  { name: 'transfer_funds', args: { to: 'carol', amount: 20 }, id: 'call_carol' },
];

// One "process": its own model, tool, gate and service client, sharing only the checkpointer and
// the approval service's state (the server).
// A restarted process's scripted model only has the turn after the tools left to play.
function agentProcess(
  checkpointer: MemorySaver,
  service: ReturnType<typeof createFakeApprovalService>,
  restarted = false,
) {
  const { transfer, executed } = transferTool();
  const model = restarted
    ? fakeModel().respond(new AIMessage('both handled'))
    : fakeModel().respondWithTools(calls).respond(new AIMessage('both handled'));
  const agent = createAgent({
    model,
    tools: [transfer],
    checkpointer,
    middleware: [countersignMiddleware({ policy: bankPolicy(), service, waitTimeoutMs: 30 })],
  });
  return { agent, executed, model };
}

describe('durable runs', () => {
  it('pauses while pending and resumes in a new agent instance without a second request', async () => {
    const checkpointer = new MemorySaver();
    const service = createFakeApprovalService();
    const config = { configurable: { thread_id: 'durable-1' } };

    const first = agentProcess(checkpointer, service);
    const paused = await first.agent.invoke(input, config);
    expect(isInterrupted(paused)).toBe(true);
    expect(first.executed).toEqual([]);
    const waiting = await pendingApprovals(first.agent, config);
    expect(waiting.map((p) => p.toolCallId).sort()).toEqual(['call_bob', 'call_carol']);
    expect(service.requests()).toHaveLength(2);

    // Resuming before anyone decides pauses again and still creates nothing new.
    const stillPaused = await first.agent.invoke(
      (await resumeCountersign(first.agent, config)) as never,
      config,
    );
    expect(isInterrupted(stillPaused)).toBe(true);
    expect(service.requests()).toHaveLength(2);

    const byCall = new Map(service.requests().map((r) => [r.toolCallId, r.id]));
    await service.decide(byCall.get('call_bob') as string, {
      outcome: 'reject',
      reason: 'unknown payee',
    });
    await service.decide(byCall.get('call_carol') as string, { outcome: 'approve' });

    const second = agentProcess(checkpointer, service, true);
    const command = await resumeCountersign(second.agent, config);
    expect(command).toBeDefined();
    const done = await second.agent.invoke(command as never, config);
    expect(isInterrupted(done)).toBe(false);
    expect(second.executed).toEqual([{ to: 'carol', amount: 20 }]);
    expect(first.executed).toEqual([]);
    expect(service.requests()).toHaveLength(2);
    const byId = Object.fromEntries(toolMessages(done.messages).map((m) => [m.id, m]));
    expect(byId.call_bob?.status).toBe('error');
    expect(byId.call_bob?.content).toContain('unknown payee');
    expect(byId.call_carol?.content).toBe('sent 20 to carol');
    expect(done.messages.at(-1)?.content).toBe('both handled');
    expect(toolMessages(second.model.calls[0]?.messages ?? [])).toHaveLength(2);
    expect(await resumeCountersign(second.agent, config)).toBeUndefined();
  });

  it('fails closed with a clear message when the run cannot pause', async () => {
    const service = createFakeApprovalService();
    const { transfer, executed } = transferTool();
    const agent = createAgent({
      model: fakeModel()
        .respondWithTools([calls[0] as never])
        .respond(new AIMessage('ok')),
      tools: [transfer],
      middleware: [countersignMiddleware({ policy: bankPolicy(), service, waitTimeoutMs: 20 })],
    });
    const out = await agent.invoke(input);
    expect(executed).toEqual([]);
    const [message] = toolMessages(out.messages);
    expect(message?.status).toBe('error');
    expect(message?.content).toMatch(/still pending.*checkpointer/);
  });

  it('pauses and resumes a withApproval tool the same way', async () => {
    const checkpointer = new MemorySaver();
    const service = createFakeApprovalService();
    const config = { configurable: { thread_id: 'durable-wrapped' } };
    const build = (restarted: boolean) => {
      const { transfer, executed } = transferTool();
      const model = restarted
        ? fakeModel().respond(new AIMessage('paid'))
        : fakeModel()
            .respondWithTools([calls[0] as never])
            .respond(new AIMessage('paid'));
      const guarded = withApproval(transfer, { require: true, service, waitTimeoutMs: 20 });
      return { agent: createAgent({ model, tools: [guarded], checkpointer }), executed };
    };
    const first = build(false);
    expect(isInterrupted(await first.agent.invoke(input, config))).toBe(true);
    const [request] = service.requests();
    await service.decide(request?.id as string, { outcome: 'approve' });
    const second = build(true);
    const done = await second.agent.invoke(
      (await resumeCountersign(second.agent, config)) as never,
      config,
    );
    expect(second.executed).toEqual([{ to: 'bob', amount: 500 }]);
    expect(done.messages.at(-1)?.content).toBe('paid');
    expect(service.requests()).toHaveLength(1);
  });
});

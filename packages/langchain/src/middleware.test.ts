import { createGate, type DecisionInput, ServiceUnavailableError } from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { describe, expect, it } from 'vitest';
import { countersignMiddleware } from './middleware.js';
import { bankPolicy, lookupTool, toolMessages, transferTool } from './test-support/fixtures.js';

/** A fake service whose reviewer decides each request by its tool call id, at once. */
function scriptedService(decisions: Record<string, DecisionInput>) {
  return createFakeApprovalService({
    onCreate: (request) => (request.toolCallId ? decisions[request.toolCallId] : undefined),
  });
}

function setup(
  decisions: Record<string, DecisionInput>,
  calls: Array<{ name: string; args: object; id: string }>,
) {
  const service = scriptedService(decisions);
  const { transfer, executed } = transferTool();
  const { lookup, executed: lookedUp } = lookupTool();
  const model = fakeModel().respondWithTools(calls).respond(new AIMessage('done'));
  const agent = createAgent({
    model,
    tools: [transfer, lookup],
    middleware: [countersignMiddleware({ policy: bankPolicy(), service })],
  });
  const run = () =>
    agent.invoke(
      { messages: [{ role: 'user', content: 'pay' }] },
      { configurable: { thread_id: 'thread-1' } },
    );
  return { service, executed, lookedUp, model, run };
}

const bob = { name: 'transfer_funds', args: { to: 'bob', amount: 500 }, id: 'call_1' };

describe('countersignMiddleware', () => {
  it('runs an approved call with the original arguments', async () => {
    const { executed, run, service } = setup({ call_1: { outcome: 'approve' } }, [bob]);
    const out = await run();
    expect(executed).toEqual([{ to: 'bob', amount: 500 }]);
    expect(toolMessages(out.messages)).toEqual([
      { id: 'call_1', status: 'success', content: 'sent 500 to bob' },
    ]);
    const [request] = service.requests();
    expect(request).toMatchObject({
      runId: 'thread-1',
      toolCallId: 'call_1',
      tool: { name: 'transfer_funds' },
    });
  });

  it('tells the model about a rejection and its reason, and does not run the tool', async () => {
    const { executed, run, model } = setup(
      { call_1: { outcome: 'reject', reason: 'bob is not a vendor' } },
      [bob],
    );
    await run();
    expect(executed).toEqual([]);
    const seen = toolMessages(model.calls[1]?.messages ?? []);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.status).toBe('error');
    expect(seen[0]?.content).toMatch(/reject/i);
    expect(seen[0]?.content).toContain('bob is not a vendor');
  });

  it('runs the human-edited arguments and tells the model what changed', async () => {
    const { executed, run } = setup(
      { call_1: { outcome: 'edit', args: { to: 'bob', amount: 50 } } },
      [bob],
    );
    const out = await run();
    expect(executed).toEqual([{ to: 'bob', amount: 50 }]);
    const [message] = toolMessages(out.messages);
    expect(message?.content).toContain('amount: 500 → 50');
    expect(message?.content).toContain('sent 50 to bob');
  });

  it('refuses edited arguments that break the tool schema', async () => {
    const { executed, run } = setup(
      { call_1: { outcome: 'edit', args: { to: 'bob', amount: -5 } } },
      [bob],
    );
    const out = await run();
    expect(executed).toEqual([]);
    expect(toolMessages(out.messages)[0]?.status).toBe('error');
  });

  it('re-checks edited arguments against the policy', async () => {
    const { executed, run } = setup(
      { call_1: { outcome: 'edit', args: { to: 'mallory', amount: 5 } } },
      [bob],
    );
    const out = await run();
    expect(executed).toEqual([]);
    const [message] = toolMessages(out.messages);
    expect(message?.status).toBe('error');
    expect(message?.content).toContain('Transfers to mallory are blocked.');
  });

  it("hands back the human's answer as the tool result", async () => {
    const { executed, run } = setup(
      { call_1: { outcome: 'respond', response: 'Use the wire form instead.' } },
      [bob],
    );
    const out = await run();
    expect(executed).toEqual([]);
    expect(toolMessages(out.messages)).toEqual([
      { id: 'call_1', status: 'success', content: 'Use the wire form instead.' },
    ]);
  });

  it('decides parallel calls independently and lets policy-allowed calls through without asking', async () => {
    const calls = [
      { name: 'transfer_funds', args: { to: 'eve', amount: 900 }, id: 'call_a' },
      { name: 'transfer_funds', args: { to: 'carol', amount: 20 }, id: 'call_b' },
      { name: 'lookup', args: { q: 'rates' }, id: 'call_c' },
    ];
    const { executed, lookedUp, run, service } = setup(
      { call_a: { outcome: 'reject', reason: 'fraud' }, call_b: { outcome: 'approve' } },
      calls,
    );
    const out = await run();
    expect(executed).toEqual([{ to: 'carol', amount: 20 }]);
    expect(lookedUp).toEqual(['rates']);
    expect(service.requests()).toHaveLength(2);
    const byId = Object.fromEntries(toolMessages(out.messages).map((m) => [m.id, m]));
    expect(byId.call_a?.status).toBe('error');
    expect(byId.call_b?.content).toBe('sent 20 to carol');
    expect(byId.call_c?.content).toBe('result for rates');
  });

  it('denies by policy without asking anyone', async () => {
    const { run, service } = setup({}, [
      { name: 'transfer_funds', args: { to: 'bob', amount: 0 }, id: 'call_z' },
    ]);
    const out = await run();
    expect(service.calls).toEqual([]);
    expect(toolMessages(out.messages)[0]).toMatchObject({
      status: 'error',
      content: 'This tool is not allowed.',
    });
  });

  it('fails closed when the approval service is down', async () => {
    const { executed, run, service, model } = setup({}, [bob]);
    service.failWith(new ServiceUnavailableError({ message: 'connect ECONNREFUSED 127.0.0.1:9' }));
    await run();
    expect(executed).toEqual([]);
    const [seen] = toolMessages(model.calls[1]?.messages ?? []);
    expect(seen?.status).toBe('error');
    expect(seen?.content).toMatch(/unavailable|could not be reached|not reachable/i);
  });

  it('rejects contradictory configuration at construction', () => {
    const service = createFakeApprovalService();
    expect(() => countersignMiddleware({ gate: createGate({ service }), service })).toThrow(
      /either/,
    );
    expect(() => countersignMiddleware({ service, waitTimeoutMs: 0 })).toThrow(/waitTimeoutMs/);
    expect(() => countersignMiddleware({ service, context: 'x' as never })).toThrow(/context/);
  });
});

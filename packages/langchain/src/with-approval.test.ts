import {
  CountersignError,
  createGate,
  type DecisionInput,
  ServiceUnavailableError,
} from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import { AIMessage, createAgent, fakeModel } from 'langchain';
import { describe, expect, it } from 'vitest';
import { bankPolicy, toolMessages, transferTool } from './test-support/fixtures.js';
import { withApproval } from './with-approval.js';

function reviewer(decision?: DecisionInput) {
  return createFakeApprovalService({ onCreate: () => decision });
}

async function runAgent(tool: ReturnType<typeof transferTool>['transfer'], args: object) {
  const model = fakeModel()
    .respondWithTools([{ name: 'transfer_funds', args, id: 'call_1' }])
    .respond(new AIMessage('done'));
  const agent = createAgent({ model, tools: [tool] });
  const out = await agent.invoke(
    { messages: [{ role: 'user', content: 'pay' }] },
    { configurable: { thread_id: 't-wrap' } },
  );
  return { out, model };
}

describe('withApproval', () => {
  it('keeps the name, description and schema the model sees', () => {
    const { transfer } = transferTool();
    const wrapped = withApproval(transfer, { require: true, service: reviewer() });
    expect(wrapped.name).toBe(transfer.name);
    expect(wrapped.description).toBe(transfer.description);
    expect(wrapped.schema).toBe(transfer.schema);
    expect(wrapped).not.toBe(transfer);
  });

  it('runs only after approval, with the run and call ids on the request', async () => {
    const { transfer, executed } = transferTool();
    const service = reviewer({ outcome: 'approve' });
    const { out } = await runAgent(withApproval(transfer, { require: true, service }), {
      to: 'bob',
      amount: 5,
    });
    expect(executed).toEqual([{ to: 'bob', amount: 5 }]);
    expect(toolMessages(out.messages)[0]?.content).toBe('sent 5 to bob');
    expect(service.requests()[0]).toMatchObject({ runId: 't-wrap', toolCallId: 'call_1' });
  });

  it('returns the denial as an error tool message instead of throwing', async () => {
    const { transfer, executed } = transferTool();
    const service = reviewer({ outcome: 'reject', reason: 'over budget' });
    const { model } = await runAgent(withApproval(transfer, { require: true, service }), {
      to: 'bob',
      amount: 5,
    });
    expect(executed).toEqual([]);
    const [seen] = toolMessages(model.calls[1]?.messages ?? []);
    expect(seen?.status).toBe('error');
    expect(seen?.content).toContain('over budget');
  });

  it('asks only when the predicate says so', async () => {
    const { transfer, executed } = transferTool();
    const service = reviewer();
    const wrapped = withApproval(transfer, {
      require: (args) => Number(args.amount) > 100,
      service,
    });
    await runAgent(wrapped, { to: 'bob', amount: 5 });
    expect(executed).toEqual([{ to: 'bob', amount: 5 }]);
    expect(service.calls).toEqual([]);
  });

  it('fails closed when the predicate throws', async () => {
    const { transfer, executed } = transferTool();
    const wrapped = withApproval(transfer, {
      require: () => {
        throw new Error('limits table missing');
      },
      service: reviewer({ outcome: 'approve' }),
    });
    const { out } = await runAgent(wrapped, { to: 'bob', amount: 5 });
    expect(executed).toEqual([]);
    expect(toolMessages(out.messages)[0]).toMatchObject({ status: 'error' });
    expect(toolMessages(out.messages)[0]?.content).toContain('limits table missing');
  });

  it('runs edited arguments, re-validated by the tool schema', async () => {
    const { transfer, executed } = transferTool();
    const service = reviewer({ outcome: 'edit', args: { to: 'bob', amount: 1 } });
    const { out } = await runAgent(withApproval(transfer, { policy: bankPolicy(), service }), {
      to: 'bob',
      amount: 5,
    });
    expect(executed).toEqual([{ to: 'bob', amount: 1 }]);
    expect(toolMessages(out.messages)[0]?.content).toContain('amount: 5 → 1');
  });

  it("returns the human's answer when invoked directly, outside an agent", async () => {
    const { transfer, executed } = transferTool();
    const service = reviewer({ outcome: 'respond', response: { use: 'wire form' } });
    const wrapped = withApproval(transfer, { require: true, service });
    const result = await wrapped.invoke({ to: 'bob', amount: 5 });
    expect(executed).toEqual([]);
    expect(result).toEqual({ use: 'wire form' });
  });

  it('fails closed when the service is down', async () => {
    const { transfer, executed } = transferTool();
    const service = reviewer({ outcome: 'approve' });
    service.failWith(new ServiceUnavailableError());
    const result = await withApproval(transfer, { require: true, service }).invoke({
      to: 'bob',
      amount: 5,
    });
    expect(executed).toEqual([]);
    expect(String(result)).toMatch(/could not be reached/);
  });

  it('rejects contradictory options at construction', () => {
    const { transfer } = transferTool();
    const service = reviewer();
    expect(() => withApproval(transfer, { require: true, policy: bankPolicy() })).toThrow(/either/);
    expect(() => withApproval(transfer, { gate: createGate({ service }), service })).toThrow(
      /either/,
    );
    expect(() => withApproval(transfer, { approval: { quorum: 2 } })).toThrow(/require/);
    expect(() => withApproval({} as never, {})).toThrow(/LangChain tool/);
  });

  it('refuses bad options with one validation_failed error naming every problem', () => {
    const { transfer } = transferTool();
    let refusal: unknown;
    try {
      withApproval(transfer, { require: 'yes' as never, waitTimeoutMs: 0, gate: {} as never });
    } catch (error) {
      refusal = error;
    }
    expect(CountersignError.hasCode(refusal, 'validation_failed')).toBe(true);
    expect((refusal as CountersignError).details.problems).toEqual([
      'waitTimeoutMs must be a positive integer (milliseconds)',
      'require must be a boolean or a function',
      'give either require or policy/gate, not both',
    ]);
  });
});

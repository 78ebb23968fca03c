import { definePolicy } from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import { AIMessage as CoreAIMessage } from '@langchain/core/messages';
import { DynamicStructuredTool, StructuredTool } from '@langchain/core/tools';
import { AIMessage, createAgent, fakeModel, tool } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CountersignCallbackHandler } from './callback-handler.js';
import { toolMessages } from './test-support/fixtures.js';
import { DispatchedToolCalls, toolRunName } from './tool-run-name.js';

const subclassSerialized = { lc: 1, type: 'not_implemented', id: ['langchain', 'tools', 'Pay'] };
const serialized = subclassSerialized as Parameters<typeof toolRunName>[0]['serialized'];

describe('toolRunName', () => {
  it('takes the one name the sources agree on', () => {
    expect(toolRunName({ serialized, runName: 'pay', callNames: ['pay'] })).toEqual({
      name: 'pay',
    });
    expect(toolRunName({ serialized, callNames: ['pay'] })).toEqual({ name: 'pay' });
    const withField = { ...serialized, type: 'constructor', kwargs: { name: 'pay' } } as const;
    expect(toolRunName({ serialized: withField, callNames: [] })).toEqual({ name: 'pay' });
  });

  it('never gates under the class name: no name is a problem naming the class', () => {
    const named = toolRunName({ serialized, callNames: [] });
    expect(named).toEqual({ problem: expect.stringContaining('class name (Pay)') });
  });

  it('sources that disagree are a problem saying which said what', () => {
    const named = toolRunName({ serialized, runName: 'Payment step', callNames: ['pay'] });
    expect(named).toEqual({
      problem: expect.stringContaining(
        'the run name names it "Payment step", the tool call names it "pay"',
      ),
    });
    expect(toolRunName({ serialized, callNames: ['pay', 'refund'] })).toHaveProperty('problem');
  });

  it('a run name that is the graph node the tool runs in is not taken as its name', () => {
    const named = toolRunName({
      serialized,
      runName: 'tools',
      callNames: [],
      outsideNode: 'tools',
    });
    expect(named).toEqual({ problem: expect.stringContaining('runs in the graph node "tools"') });
  });
});

describe('DispatchedToolCalls', () => {
  const message = new CoreAIMessage({
    content: '',
    tool_calls: [
      { name: 'pay', args: {}, id: 'c1' },
      { name: 'refund', args: {}, id: 'c2' },
    ],
  });

  it("finds a call by its id among the run's last AI message and its sent tool call", () => {
    const calls = new DispatchedToolCalls();
    calls.record('run-1', { messages: [message] });
    calls.record('run-2', { messages: [], lg_tool_call: { name: 'pay', args: {}, id: 'c9' } });
    calls.record('run-3', [message]);
    expect(calls.namesOf('run-1', 'c2')).toEqual(['refund']);
    expect(calls.namesOf('run-2', 'c9')).toEqual(['pay']);
    expect(calls.namesOf('run-3', 'c1')).toEqual(['pay']);
    expect(calls.namesOf('run-1', 'c9')).toEqual([]);
    expect(calls.namesOf('run-1', undefined)).toEqual([]);
    calls.forget('run-1');
    expect(calls.namesOf('run-1', 'c2')).toEqual([]);
  });
});

describe('CountersignCallbackHandler blocks a tool it cannot name', () => {
  const policy = definePolicy({ version: 1, default: 'allow', rules: [] }, 'allow-all');
  const model = (name: string) =>
    fakeModel()
      .respondWithTools([{ name, args: { to: 'bob' }, id: 'call_1' }])
      .respond(new AIMessage('done'));

  it('a run name that is not the tool call name (a tracing label) blocks the call', async () => {
    const service = createFakeApprovalService();
    const executed: unknown[] = [];
    const pay = new DynamicStructuredTool({
      name: 'pay',
      description: 'Pay someone',
      schema: z.object({ to: z.string() }),
      func: async (input) => {
        executed.push(input);
        return 'paid';
      },
      defaultConfig: { runName: 'Payment step' },
    });
    const agent = createAgent({ model: model('pay'), tools: [pay] });
    const handler = new CountersignCallbackHandler({ policy, service });
    const out = await agent.invoke(
      { messages: [{ role: 'user', content: 'pay' }] },
      { callbacks: [handler], configurable: { thread_id: 'names-label' } },
    );
    expect(executed).toEqual([]);
    expect(toolMessages(out.messages)[0]).toMatchObject({
      status: 'error',
      content: expect.stringContaining('the run name names it "Payment step"'),
    });
    expect(service.calls).toEqual([]);
  });

  it.each([
    ['a StructuredTool subclass', (pay: () => Promise<string>) => subclassPay(pay)],
    ['a tool() tool', (pay: () => Promise<string>) => tool(pay, payFields)],
  ])(
    '%s whose handler is on the tool alone is blocked, not gated as its graph node',
    async (_, make) => {
      const service = createFakeApprovalService();
      const executed: string[] = [];
      const pay = make(async () => {
        executed.push('pay');
        return 'paid';
      });
      pay.callbacks = [new CountersignCallbackHandler({ policy, service })];
      const agent = createAgent({ model: model('pay'), tools: [pay] });
      const out = await agent.invoke({ messages: [{ role: 'user', content: 'pay' }] });
      expect(executed).toEqual([]);
      expect(toolMessages(out.messages)[0]).toMatchObject({
        status: 'error',
        content: expect.stringContaining('runs in the graph node "tools"'),
      });
      expect(service.calls).toEqual([]);
    },
  );
});

const payFields = { name: 'pay', description: 'Pay someone', schema: z.object({ to: z.string() }) };

function subclassPay(pay: () => Promise<string>) {
  class Pay extends StructuredTool {
    name = payFields.name;
    description = payFields.description;
    schema = payFields.schema;
    protected override _call() {
      return pay();
    }
  }
  return new Pay();
}

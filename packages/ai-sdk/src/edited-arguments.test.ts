import { CountersignError, createGate, definePolicy, type JsonObject } from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import { type FlexibleSchema, generateText, isStepCount, tool } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textResult, toolCallResult } from './test-support/fake-gate.js';
import { countersignToolApproval } from './tool-approval.js';
import { withApproval } from './with-approval.js';

/** The model calls `deploy` once; the reviewer edits the call to `edit`. */
async function runEdited(inputSchema: FlexibleSchema<Record<string, unknown>>, edit: JsonObject) {
  const ran: unknown[] = [];
  const deploy = tool({
    inputSchema,
    execute: async (input) => {
      ran.push(input);
      return 'deployed';
    },
  });
  const service = createFakeApprovalService({ onCreate: () => ({ outcome: 'edit', args: edit }) });
  const gate = createGate({ policy: definePolicy({ version: 1, default: 'require' }), service });
  const model = new MockLanguageModelV4({
    doGenerate: [
      toolCallResult([{ id: 'call-1', name: 'deploy', input: { version: '2.5.0' } }]),
      textResult('done'),
    ],
  });
  const tools = withApproval({ deploy }, { gate });
  await generateText({ model, tools, prompt: 'deploy', stopWhen: isStepCount(3) });
  const toolMessage = model.doGenerateCalls[1]?.prompt.at(-1);
  const output = toolMessage?.role === 'tool' ? toolMessage.content[0] : undefined;
  return { ran, output };
}

describe('what runs after an edit (the core contract)', () => {
  it('runs the arguments as edited, not the schema-parsed value', async () => {
    // A transform and a default: the parsed value of the edit differs from the edit itself.
    const schema = z.object({
      version: z.string().transform((version) => version.trim()),
      dryRun: z.boolean().default(true),
    });
    const edit = { version: ' 2.4.0 ', dryRun: false };
    const { ran } = await runEdited(schema, edit);
    expect(ran).toEqual([edit]);
  });

  it('refuses an edit the schema rejects, so nothing runs', async () => {
    const { ran, output } = await runEdited(z.object({ version: z.string() }), { version: 7 });
    expect(ran).toEqual([]);
    expect(output).toMatchObject({
      type: 'tool-result',
      output: { type: 'json', value: { denied: true, reason: 'invalid' } },
    });
  });
});

describe('bad options', () => {
  it('throw the core CountersignError with code validation_failed, naming every problem', () => {
    const deploy = tool({ inputSchema: z.object({}), execute: async () => 'x' });
    const attempts = [
      () => withApproval({ deploy }, { gate: {} as never, runId: 7 as never }),
      () => withApproval(deploy, { require: 'yes' as never } as never),
      () => countersignToolApproval({ policy: {} as never, waitTimeoutMs: -1 }),
      () => withApproval({ deploy }, undefined as never),
    ];
    const messages = attempts.map((attempt) => {
      try {
        attempt();
      } catch (error) {
        expect(CountersignError.hasCode(error, 'validation_failed')).toBe(true);
        return (error as Error).message;
      }
      throw new Error('expected the options to be refused');
    });
    expect(messages).toEqual([
      'withApproval: gate must be a Countersign gate with check(input) (createGate from @countersign/core); runId must be a string or a function',
      'withApproval: require must be a boolean or a function; name is required when wrapping a single tool',
      'countersignToolApproval: policy must come from loadPolicy, parsePolicy or definePolicy; waitTimeoutMs must be a number >= 0',
      'withApproval: options must be an object',
    ]);
  });
});

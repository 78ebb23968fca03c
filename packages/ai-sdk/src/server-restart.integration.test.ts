import { CountersignClient, createGate } from '@countersign/core';
import { generateText, isStepCount, tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedModel, toolOutputsSeen } from './test-support/models.js';
import { type Fixture, startFixture, testPolicy } from './test-support/server-fixture.js';
import { withApproval } from './with-approval.js';

/** Longer than the client's default retry budget (at most 1.4 s), as a restart or deploy takes. */
const DOWN_MS = 2_000;

describe('generateText with the Countersign server restarted mid-wait', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await startFixture();
  });
  afterEach(() => fixture.close());

  async function run(options: { reconnectWindowMs?: number } = {}) {
    const ran: unknown[] = [];
    const transfer = tool({
      inputSchema: z.object({ to: z.string(), amount: z.number() }),
      execute: async (input) => {
        ran.push(input);
        return { ok: true };
      },
    });
    const service = new CountersignClient({
      baseUrl: fixture.server.url,
      apiKey: await fixture.server.createKey({ role: 'agent', name: 'restart-bot' }),
      ...options,
    });
    const model = scriptedModel([
      { id: 'call-1', name: 'transfer_funds', input: { to: 'bob', amount: 5 } },
    ]);
    const result = generateText({
      model,
      tools: withApproval(
        { transfer_funds: transfer },
        { gate: createGate({ policy: testPolicy, service }), runId: 'run-restart' },
      ),
      prompt: 'pay',
      stopWhen: isStepCount(3),
    });
    return { ran, model, result };
  }

  it('keeps waiting through the restart and runs the tool once approved', async () => {
    const { ran, result } = await run();
    const [request] = await fixture.pending();
    await fixture.server.stop();
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
    await fixture.server.start();
    await fixture.reviewer.decide(request?.id as string, { outcome: 'approve' });
    expect((await result).text).toBe('done');
    expect(ran).toEqual([{ to: 'bob', amount: 5 }]);
  });

  it('tells the model the service was unreachable once the reconnect window passes', async () => {
    const { ran, model, result } = await run({ reconnectWindowMs: 200 });
    await fixture.pending();
    await fixture.server.stop();
    await result;
    expect(ran).toEqual([]);
    const output = toolOutputsSeen(model)['call-1'] as { value: Record<string, unknown> };
    expect(output.value).toMatchObject({
      denied: true,
      reason: 'unavailable',
      message: expect.stringMatching(/kept trying for \d+ s, then stopped/),
    });
    await fixture.server.start();
  });
});

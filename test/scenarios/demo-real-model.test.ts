import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnthropicStandIn, startAnthropicStandIn, toolResults } from './anthropic-stand-in.ts';
import { runNode } from './child-process.ts';
import { type OpenAIStandIn, startOpenAIStandIn, toolOutputs } from './openai-stand-in.ts';

const demo = fileURLToPath(new URL('../../examples/demo/src/main.ts', import.meta.url));
let directory: string;
let standIn: OpenAIStandIn | undefined;
let anthropic: AnthropicStandIn | undefined;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-demo-model-'));
});
afterEach(async () => {
  await standIn?.close();
  await anthropic?.close();
  standIn = undefined;
  anthropic = undefined;
  await rm(directory, { recursive: true, force: true });
});

function startDemo(args: string[], env: NodeJS.ProcessEnv) {
  return runNode(demo, ['--port', '0', '--db', join(directory, 'demo.db'), ...args], {
    env: {
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      OPENAI_MODEL: '',
      ANTHROPIC_API_KEY: '',
      ANTHROPIC_BASE_URL: '',
      ANTHROPIC_MODEL: '',
      ...env,
    },
  });
}

const FINAL = 'All done: v2.4.1 is live in production.';

describe('the demo with OPENAI_API_KEY (a real provider against a loopback Responses API stand-in)', () => {
  it('calls deploy through the gate, pauses, runs it once approved and feeds the result back', async () => {
    standIn = await startOpenAIStandIn((_body, index) =>
      index === 0
        ? { call: { name: 'deploy', args: { env: 'prod', version: 'v2.4.1' } } }
        : { text: FINAL },
    );
    const run = startDemo(['--auto-approve-after', '300ms'], {
      OPENAI_API_KEY: 'test',
      OPENAI_BASE_URL: standIn.baseUrl,
    });
    expect(await run.exited).toBe(0);
    const out = run.output();
    expect(out).toContain(
      `Model:        openai gpt-4o-mini at ${standIn.baseUrl} (OPENAI_API_KEY is set`,
    );
    expect(out).toContain('⏸  The agent paused before deploy({"env":"prod","version":"v2.4.1"})');
    expect(out).toMatch(/Request req_[\w-]+, assigned to group:release/);
    expect(out).toMatch(/✔ approved by user:you \("Ship it \(auto-approved by the demo\)"\)/);
    expect(out).toContain('deploy: health checks green');
    expect(out).toContain(`[agent] ${FINAL}`);

    expect(standIn.requests).toHaveLength(2);
    const [first, second] = standIn.requests;
    expect(first?.headers.authorization).toBe('Bearer test');
    expect(first?.body.model).toBe('gpt-4o-mini');
    expect(first?.body.tools?.map((tool) => tool.name)).toEqual(['deploy']);
    expect(toolOutputs(first?.body ?? {})).toEqual([]);
    // The approved deploy's output is what the model reads next.
    expect(toolOutputs(second?.body ?? {})).toEqual([
      { callId: 'call_0', output: 'Deployed v2.4.1 to prod.' },
    ]);
  });

  it('reads the rejection, revises as the model chooses, and deploys the revision once approved', async () => {
    standIn = await startOpenAIStandIn((body, index) => {
      if (index === 0)
        return { call: { name: 'deploy', args: { env: 'prod', version: 'v2.4.1' } } };
      const last = toolOutputs(body).at(-1)?.output ?? '';
      if (index === 1 && last.includes('"rejected"')) {
        return { call: { name: 'deploy', args: { env: 'prod', version: 'v2.4.2', canary: true } } };
      }
      return { text: `Final: ${last}` };
    });
    const run = startDemo(['--auto-approve-after', '300ms', '--auto-reject-first'], {
      OPENAI_API_KEY: 'test',
      OPENAI_BASE_URL: `${standIn.baseUrl}/`,
      OPENAI_MODEL: 'gpt-test-model',
    });
    expect(await run.exited).toBe(0);
    const out = run.output();
    expect(out).toContain('Model:        openai gpt-test-model');
    expect(out).toContain('✘ rejected: v2.4.1 has the checkout migration bug');
    expect(out).toContain(
      '⏸  The agent paused before deploy({"env":"prod","version":"v2.4.2","canary":true})',
    );
    expect(out.match(/⏸ {2}The agent paused/g)).toHaveLength(2);
    expect(out).toContain('[agent] Final: Deployed v2.4.2 to prod as a 5% canary.');

    expect(standIn.requests.map((request) => request.body.model)).toEqual([
      'gpt-test-model',
      'gpt-test-model',
      'gpt-test-model',
    ]);
    const rejection = JSON.parse(toolOutputs(standIn.requests[1]?.body ?? {})[0]?.output ?? '{}');
    expect(rejection).toMatchObject({ denied: true, reason: 'rejected' });
    expect(rejection.message).toContain('v2.4.1 has the checkout migration bug');
  });

  it('fails closed when the model endpoint answers an error: nothing deployed, status 1', async () => {
    standIn = await startOpenAIStandIn(() => ({ text: 'never asked' }));
    const run = startDemo(['--auto-approve-after', '200ms'], {
      OPENAI_API_KEY: 'test',
      OPENAI_BASE_URL: standIn.baseUrl.replace(/\/v1$/, '/missing'),
    });
    expect(await run.exited).toBe(1);
    const out = run.output();
    expect(out).toContain('[agent] The model call failed:');
    expect(out).not.toContain('The agent paused');
    expect(out).not.toContain('deploy: building image');
  });

  it('keeps the scripted model with --scripted, and never calls the provider', async () => {
    standIn = await startOpenAIStandIn(() => ({ text: 'never asked' }));
    const run = startDemo(['--auto-approve-after', '200ms', '--scripted'], {
      OPENAI_API_KEY: 'test',
      OPENAI_BASE_URL: standIn.baseUrl,
    });
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(
      'Model:        scripted (--scripted, although a model API key is set)',
    );
    expect(run.output()).toContain('[agent] Done. Deployed v2.4.1 to prod.');
    expect(standIn.requests).toEqual([]);
  });
});

describe('the demo with ANTHROPIC_API_KEY (against a loopback Messages API stand-in)', () => {
  it('runs the same gated deploy and feeds the approved result back to the model', async () => {
    anthropic = await startAnthropicStandIn((_body, index) =>
      index === 0
        ? { call: { name: 'deploy', args: { env: 'prod', version: 'v2.4.1' } } }
        : { text: FINAL },
    );
    const run = startDemo(['--auto-approve-after', '300ms'], {
      ANTHROPIC_API_KEY: 'test-anthropic',
      ANTHROPIC_BASE_URL: anthropic.baseUrl,
    });
    expect(await run.exited).toBe(0);
    const out = run.output();
    expect(out).toContain(`Model:        anthropic claude-sonnet-4-5 at ${anthropic.baseUrl}`);
    expect(out).toContain('⏸  The agent paused before deploy({"env":"prod","version":"v2.4.1"})');
    expect(out).toContain(`[agent] ${FINAL}`);
    expect(anthropic.requests).toHaveLength(2);
    expect(anthropic.requests[0]?.headers['x-api-key']).toBe('test-anthropic');
    expect(anthropic.requests[0]?.body.tools?.map((tool) => tool.name)).toEqual(['deploy']);
    expect(toolResults(anthropic.requests[1]?.body ?? {})).toEqual([
      { id: 'toolu_0', content: expect.stringContaining('Deployed v2.4.1 to prod.') },
    ]);
  });
});

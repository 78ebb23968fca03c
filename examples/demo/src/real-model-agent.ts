import { withApproval } from '@countersign/ai-sdk';
import type { Gate, GateCheckInput, JsonObject } from '@countersign/core';
import { generateText, isStepCount, type LanguageModel, tool } from 'ai';
import { z } from 'zod';
import type { AgentHooks } from './demo-agent.ts';
import { fakeDeploy } from './fake-deploy.ts';
import { MAX_PROPOSALS } from './scripted-model.ts';

/** What the agent is asked to do, the same job the scripted model plays. */
export const DEMO_PROMPT = 'Release v2.4.1 passed CI. Ship it to production.';

/** How the model should behave around approvals, so a real model tells the same story. */
export const DEMO_INSTRUCTIONS = [
  'You are a release agent. Deploy with the deploy tool.',
  'Production deploys pause until a human from the release group approves them.',
  'If a human rejects a deploy with a reason, revise the call to address it (for example the next',
  'patch version as a canary) and call deploy again; never repeat a rejected call unchanged.',
  `Make at most ${MAX_PROPOSALS} deploy proposals in total.`,
  'If a deploy is refused for any other reason (expired, service unavailable), do not retry: say',
  'what happened and stop. When a deploy ran, answer in one or two sentences with what was deployed.',
].join(' ');

/**
 * Runs the demo agent on a real model: `generateText` with the `deploy` tool wrapped by
 * `withApproval`, so every call goes through the same gate and policy as the scripted path, and
 * the model reads the outcome (the deploy's output, or why it did not run) as the tool result.
 * Returns the model's final answer, and whether a deploy ran. A failed model call ends the run
 * with the error as the answer and nothing deployed.
 */
export async function runRealModelAgent(
  gate: Gate,
  options: { model: LanguageModel; runId: string; signal: AbortSignal; hooks: AgentHooks },
): Promise<{ text: string; deployed: boolean }> {
  const { hooks } = options;
  let deployed = false;
  // Shows each call and the gate's answer exactly where the scripted path does.
  const observedGate = {
    check: async (input: GateCheckInput) => {
      hooks.say(`\n[model] → ${input.toolName}(${JSON.stringify(input.args)})`);
      const decision = await gate.check(input);
      hooks.afterCheck(decision);
      return decision;
    },
  };
  const deploy = tool({
    description: 'Deploy a release to an environment.',
    inputSchema: z.object({
      env: z.enum(['staging', 'prod']).describe('Target environment'),
      version: z
        .string()
        .regex(/^v\d+\.\d+\.\d+$/)
        .describe('Release version, e.g. v2.4.1'),
      canary: z.boolean().optional().describe('Roll out to 5% of traffic first'),
    }),
    execute: async (args) => {
      const result = await fakeDeploy(args as JsonObject, hooks.say);
      deployed = true;
      return result;
    },
  });
  const tools = withApproval(
    { deploy },
    { gate: observedGate, runId: options.runId, context: { user: 'you', reason: 'release train' } },
  );
  try {
    const result = await generateText({
      model: options.model,
      instructions: DEMO_INSTRUCTIONS,
      prompt: DEMO_PROMPT,
      tools,
      // Each proposal is one step, plus one for the answer.
      stopWhen: isStepCount(MAX_PROPOSALS + 1),
      abortSignal: options.signal,
    });
    const text = result.finalStep.text.trim();
    return { text: text === '' ? 'The model stopped without a final answer.' : text, deployed };
  } catch (error) {
    if (options.signal.aborted) return { text: 'Stopped before deciding.', deployed };
    return { text: `The model call failed: ${(error as Error).message}`, deployed };
  }
}

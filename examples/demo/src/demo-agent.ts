import type { Gate, GateDecision } from '@countersign/core';
import { fakeDeploy } from './fake-deploy.ts';
import { createScriptedModel, type ToolObservation } from './scripted-model.ts';

/** Hooks the agent calls so the caller can show what is going on. */
export interface AgentHooks {
  /** A line of the agent's story. */
  say(line: string): void;
  /** The gate answered. */
  afterCheck(decision: GateDecision): void;
}

/**
 * Runs the demo agent: the scripted model proposes tool calls, the gate decides each one, and
 * the agent feeds the outcome back to the model until it finishes. Returns the model's last words.
 */
export async function runDemoAgent(
  gate: Gate,
  options: { runId: string; signal: AbortSignal; hooks: AgentHooks },
): Promise<{ text: string; deployed: boolean }> {
  const model = createScriptedModel();
  const { hooks } = options;
  let observation: ToolObservation | undefined;
  let deployed = false;
  for (let step = 1; ; step += 1) {
    const turn = model(observation);
    if (turn.kind === 'finish') return { text: turn.text, deployed };
    hooks.say(`\n[model] ${turn.thought}`);
    hooks.say(`[model] → ${turn.toolName}(${JSON.stringify(turn.args)})`);
    const decision = await gate.check({
      toolName: turn.toolName,
      args: turn.args,
      runId: options.runId,
      toolCallId: `call-${step}`,
      context: { user: 'you', reason: 'release train' },
      signal: options.signal,
    });
    hooks.afterCheck(decision);
    if (decision.outcome === 'allow') {
      const result = await fakeDeploy(decision.args, hooks.say);
      deployed = true;
      observation = { outcome: 'ran', result };
    } else if (decision.outcome === 'deny') {
      if (decision.reason === 'aborted') return { text: 'Stopped before deciding.', deployed };
      observation = {
        outcome: 'refused',
        message: decision.message,
        ...(decision.rejectionReason ? { rejectionReason: decision.rejectionReason } : {}),
      };
    } else {
      observation = { outcome: 'refused', message: decision.message };
    }
  }
}

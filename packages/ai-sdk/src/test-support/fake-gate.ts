import type { GateCheckInput, GateDecision } from '../core-types.js';
import type { GateLike } from '../gate-options.js';

/** A scripted gate for unit tests: records every input and answers with `decide`. */
export function fakeGate(decide: (input: GateCheckInput) => GateDecision | Promise<GateDecision>) {
  const inputs: GateCheckInput[] = [];
  const gate: GateLike = {
    async check(input) {
      inputs.push(input);
      return decide(input);
    },
  };
  return { gate, inputs };
}

/** A tool-call result for `MockLanguageModelV4.doGenerate`. */
export function toolCallResult(calls: { id: string; name: string; input: unknown }[]) {
  return {
    content: calls.map((call) => ({
      type: 'tool-call' as const,
      toolCallId: call.id,
      toolName: call.name,
      input: JSON.stringify(call.input),
    })),
    finishReason: { unified: 'tool-calls' as const, raw: undefined },
    usage,
    warnings: [],
  };
}

/** A final text result for `MockLanguageModelV4.doGenerate`. */
export function textResult(text: string) {
  return {
    content: [{ type: 'text' as const, text }],
    finishReason: { unified: 'stop' as const, raw: undefined },
    usage,
    warnings: [],
  };
}

export const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

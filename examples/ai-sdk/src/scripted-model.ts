import { simulateReadableStream } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

/**
 * A scripted stand-in for a real model (no API key needed): asked to pay, it calls `transfer_funds`;
 * once it sees the tool's result (or its denial) it says what happened.
 */
export function scriptedModel() {
  let calls = 0;
  return new MockLanguageModelV4({
    doStream: async ({ prompt }) => {
      calls += 1;
      const outcome = lastToolOutcome(prompt);
      const chunks: Record<string, unknown>[] =
        outcome === undefined
          ? [
              {
                type: 'tool-call' as const,
                toolCallId: `call-${calls}`,
                toolName: 'transfer_funds',
                input: JSON.stringify({ to: 'bob', amount: 250 }),
              },
              {
                type: 'finish' as const,
                finishReason: { unified: 'tool-calls' as const, raw: undefined },
                usage,
              },
            ]
          : [
              { type: 'text-start' as const, id: 't' },
              { type: 'text-delta' as const, id: 't', delta: outcome },
              { type: 'text-end' as const, id: 't' },
              {
                type: 'finish' as const,
                finishReason: { unified: 'stop' as const, raw: undefined },
                usage,
              },
            ];
      const stream = simulateReadableStream({
        chunks,
        initialDelayInMs: null,
        chunkDelayInMs: null,
      });
      return { stream: stream as never };
    },
  });
}

type Prompt = Parameters<MockLanguageModelV4['doStream']>[0]['prompt'];

function lastToolOutcome(prompt: Prompt): string | undefined {
  const last = prompt.at(-1);
  if (last?.role !== 'tool') return undefined;
  const result = last.content.find((part) => part.type === 'tool-result');
  if (result === undefined || result.type !== 'tool-result') return undefined;
  if (result.output.type === 'execution-denied') {
    return `I did not send the money: ${result.output.reason ?? 'the transfer was denied'}`;
  }
  return `Done: I sent bob 250 (${JSON.stringify('value' in result.output ? result.output.value : result.output)}).`;
}

import { simulateReadableStream } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { textResult, toolCallResult, usage } from './fake-gate.js';

type Call = { id: string; name: string; input: unknown };

/** A scripted model: the first call asks for `calls`, the second answers `text`. */
export function scriptedModel(calls: Call[], text = 'done') {
  return new MockLanguageModelV4({ doGenerate: [toolCallResult(calls), textResult(text)] });
}

/** The streaming twin of {@link scriptedModel}. */
export function scriptedStreamModel(calls: Call[], text = 'done') {
  const stream = (chunks: unknown[]) => ({
    stream: simulateReadableStream({
      chunks: chunks as never[],
      initialDelayInMs: null,
      chunkDelayInMs: null,
    }),
  });
  return new MockLanguageModelV4({
    doStream: [
      stream([
        ...calls.map((call) => ({
          type: 'tool-call',
          toolCallId: call.id,
          toolName: call.name,
          input: JSON.stringify(call.input),
        })),
        { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage },
      ]),
      stream([
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: text },
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage },
      ]),
    ],
  });
}

/** The tool results the model received on its second call, by tool call id. */
export function toolOutputsSeen(
  model: MockLanguageModelV4,
  stream = false,
): Record<string, unknown> {
  const calls = stream ? model.doStreamCalls : model.doGenerateCalls;
  const outputs: Record<string, unknown> = {};
  for (const message of calls[1]?.prompt ?? []) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type === 'tool-result') outputs[part.toolCallId] = part.output;
    }
  }
  return outputs;
}

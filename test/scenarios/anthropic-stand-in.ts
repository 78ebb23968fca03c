import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { StandInTurn } from './openai-stand-in.ts';

/**
 * A loopback stand-in for the Anthropic Messages API (`POST /v1/messages`, what
 * `@ai-sdk/anthropic` calls), answering from a script like the OpenAI one.
 */

/** The parts of a Messages request body the tests look at. */
export interface MessagesRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: unknown }>;
  tools?: Array<{ name?: string }>;
  [key: string]: unknown;
}

/** A running stand-in. */
export interface AnthropicStandIn {
  /** The base URL to give as `ANTHROPIC_BASE_URL` (ends in `/v1`). */
  baseUrl: string;
  requests: Array<{ headers: IncomingHttpHeaders; body: MessagesRequestBody }>;
  close(): Promise<void>;
}

/** The `tool_result` blocks of a request: the tool results the model is shown, as text. */
export function toolResults(body: MessagesRequestBody): Array<{ id: string; content: string }> {
  const blocks = (body.messages ?? []).flatMap((message) =>
    Array.isArray(message.content) ? (message.content as Array<Record<string, unknown>>) : [],
  );
  return blocks
    .filter((block) => block.type === 'tool_result')
    .map((block) => ({
      id: String(block.tool_use_id),
      content: typeof block.content === 'string' ? block.content : JSON.stringify(block.content),
    }));
}

/** Starts the stand-in on a free 127.0.0.1 port; `script` says what the model answers. */
export async function startAnthropicStandIn(
  script: (body: MessagesRequestBody, index: number) => StandInTurn,
): Promise<AnthropicStandIn> {
  const requests: AnthropicStandIn['requests'] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = (status: number, value: object) =>
        response
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify(value));
      if (request.method !== 'POST' || request.url !== '/v1/messages') {
        send(404, { type: 'error', error: { type: 'not_found_error', message: 'no route' } });
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessagesRequestBody;
      const index = requests.length;
      requests.push({ headers: request.headers, body });
      const turn = script(body, index);
      send(200, {
        id: `msg_${index}`,
        type: 'message',
        role: 'assistant',
        model: String(body.model),
        content:
          'call' in turn
            ? [
                {
                  type: 'tool_use',
                  id: `toolu_${index}`,
                  name: turn.call.name,
                  input: turn.call.args,
                },
              ]
            : [{ type: 'text', text: turn.text }],
        stop_reason: 'call' in turn ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 5 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('stand-in has no port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

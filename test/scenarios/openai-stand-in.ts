import { createServer, type IncomingHttpHeaders } from 'node:http';

/**
 * A loopback stand-in for the OpenAI Responses API (`POST /v1/responses`, what `@ai-sdk/openai`'s
 * default `openai(model)` calls), answering from a script so tests run a real provider package
 * against real HTTP without leaving the machine.
 */

/** One request the stand-in received. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body: `model`, `instructions`, `input` (items), `tools`, … */
  body: ResponsesRequestBody;
}

/** The parts of a Responses API request body the tests look at. */
export interface ResponsesRequestBody {
  model?: string;
  input?: Array<{ type?: string; role?: string; call_id?: string; output?: unknown }>;
  tools?: Array<{ type: string; name?: string }>;
  [key: string]: unknown;
}

/** What the scripted model answers to one request: a function call, or final text. */
export type StandInTurn = { call: { name: string; args: object } } | { text: string };

/** A running stand-in. */
export interface OpenAIStandIn {
  /** The base URL to give as `OPENAI_BASE_URL` (ends in `/v1`). */
  baseUrl: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** The `function_call_output` items of a request: the tool results the model is shown. */
export function toolOutputs(body: ResponsesRequestBody): Array<{ callId: string; output: string }> {
  return (body.input ?? [])
    .filter((item) => item.type === 'function_call_output')
    .map((item) => ({
      callId: String(item.call_id),
      output: typeof item.output === 'string' ? item.output : JSON.stringify(item.output),
    }));
}

function responseFor(turn: StandInTurn, index: number, model: string): object {
  const id = `resp_${index}`;
  const output =
    'call' in turn
      ? [
          {
            type: 'function_call',
            id: `fc_${index}`,
            call_id: `call_${index}`,
            name: turn.call.name,
            arguments: JSON.stringify(turn.call.args),
            status: 'completed',
          },
        ]
      : [
          {
            type: 'message',
            id: `msg_${index}`,
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: turn.text, annotations: [] }],
          },
        ];
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model,
    output,
    incomplete_details: null,
    usage: {
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 15,
    },
  };
}

/**
 * Starts the stand-in on a free 127.0.0.1 port. `script` gets each request (0-based index) and
 * says what the model answers. Anything but `POST /v1/responses` gets OpenAI's 404 error shape.
 */
export async function startOpenAIStandIn(
  script: (body: ResponsesRequestBody, index: number) => StandInTurn,
): Promise<OpenAIStandIn> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = (status: number, value: object) =>
        response
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify(value));
      const path = request.url ?? '';
      if (request.method !== 'POST' || path !== '/v1/responses') {
        send(404, {
          error: { message: `no route ${path}`, type: 'invalid_request_error', code: 'not_found' },
        });
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ResponsesRequestBody;
        const index = requests.length;
        requests.push({ path, headers: request.headers, body });
        send(200, responseFor(script(body, index), index, String(body.model)));
      } catch (error) {
        send(500, { error: { message: String(error), type: 'server_error', code: 'stand_in' } });
      }
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

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApprovalRequest, RequestEvent, RequestStatus } from '../protocol/index.js';

/** A request the scripted server received. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/requests?status=pending`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request; `index` counts requests from 0. */
export type ScriptedHandler = (
  request: RecordedRequest,
  response: ServerResponse,
  index: number,
) => void | Promise<void>;

/** A real `node:http` server on 127.0.0.1 whose answers each test scripts (fault injection). */
export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a {@link ScriptedServer} on a free loopback port. */
export async function startScriptedServer(handler: ScriptedHandler): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = {
      method: incoming.method ?? '',
      url: incoming.url ?? '',
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(recorded);
    try {
      await handler(recorded, response, requests.length - 1);
    } catch (error) {
      response.destroy(error as Error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON answer. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Sends a protocol error body. */
export function sendError(response: ServerResponse, status: number, code: string): void {
  sendJson(response, status, { error: { code, message: `scripted ${code}`, details: {} } });
}

/** Opens an event stream on `response`. */
export function openEventStream(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.flushHeaders();
}

/** Writes one event in the wire format of the Countersign server. */
export function writeEvent(response: ServerResponse, event: RequestEvent): void {
  response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/** A protocol-valid request for tests. */
export function sampleRequest(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const id = overrides.id ?? 'req_1';
  const at = '2025-01-01T00:00:00.000Z';
  return {
    id,
    kind: 'approval',
    status: 'pending',
    version: 1,
    action: 'Deploy v2',
    context: {},
    assignees: ['user:alice'],
    quorum: 1,
    requester: 'agent:bot',
    createdAt: at,
    updatedAt: at,
    reminders: [],
    decisions: [],
    links: {
      self: `/v1/requests/${id}`,
      wait: `/v1/requests/${id}/wait`,
      events: `/v1/requests/${id}/events`,
    },
    ...overrides,
  };
}

/** A protocol-valid event carrying `request` with `status`. */
export function sampleEvent(seq: number, status: RequestStatus, id = 'req_1'): RequestEvent {
  const terminal = status !== 'pending';
  const request = sampleRequest({
    id,
    status,
    version: seq,
    ...(terminal
      ? { resolution: { status, at: '2025-01-01T00:01:00.000Z', by: ['user:alice'] } }
      : {}),
  } as Partial<ApprovalRequest>);
  return {
    id: `${id}:${seq}`,
    requestId: id,
    seq,
    type: terminal ? 'decided' : seq === 1 ? 'created' : 'reminded',
    at: '2025-01-01T00:01:00.000Z',
    version: seq,
    data: {},
    request,
  };
}

import { type Dispatcher, request } from 'undici';
import { type ControlState, controlStateSchema, type ShadowReportBody } from '../protocol/index.js';
import { SseParser } from '../protocol/sse-parser.js';

/** How the connection reaches the server. */
export interface ControlEndpoint {
  baseUrl: URL;
  apiKey: string;
  policyName: string | undefined;
  dispatcher: Dispatcher | undefined;
  timeoutMs: number;
}

function url(endpoint: ControlEndpoint, path: string): URL {
  const target = new URL(
    path,
    endpoint.baseUrl.href.endsWith('/') ? endpoint.baseUrl : `${endpoint.baseUrl.href}/`,
  );
  if (endpoint.policyName !== undefined) target.searchParams.set('policy', endpoint.policyName);
  return target;
}

function headers(endpoint: ControlEndpoint, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${endpoint.apiKey}`, ...extra };
}

function parseState(text: string): ControlState {
  const parsed = controlStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error('the server sent a malformed control state');
  return parsed.data;
}

/**
 * `GET /v1/control` with `If-None-Match`: the state, or `unchanged` on 304. Throws on anything
 * else (unreachable, 4xx, 5xx, garbage).
 */
export async function fetchControlState(
  endpoint: ControlEndpoint,
  etag: string | undefined,
): Promise<ControlState | 'unchanged'> {
  const response = await request(url(endpoint, 'v1/control'), {
    method: 'GET',
    headers: headers(endpoint, etag ? { 'if-none-match': etag } : {}),
    headersTimeout: endpoint.timeoutMs,
    bodyTimeout: endpoint.timeoutMs,
    ...(endpoint.dispatcher ? { dispatcher: endpoint.dispatcher } : {}),
  });
  const text = await response.body.text();
  if (response.statusCode === 304) return 'unchanged';
  if (response.statusCode !== 200) {
    let message = `HTTP ${response.statusCode}`;
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message ?? message;
    } catch {
      // not a JSON error body: the status says enough
    }
    throw new Error(message);
  }
  return parseState(text);
}

/** What an open stream reports. */
export interface StreamHandlers {
  /** A new state (also the first one, on connect). */
  onState(state: ControlState): void;
  /** Anything arrived (events or keep-alives): the server is there. */
  onContact(): void;
}

/**
 * Follows `GET /v1/control/stream` until it ends, fails or goes silent for `idleMs` (resolves
 * then; the caller reconnects). Rejects when it cannot be opened.
 */
export async function followControlStream(
  endpoint: ControlEndpoint,
  handlers: StreamHandlers,
  idleMs: number,
  signal: AbortSignal,
): Promise<void> {
  const response = await request(url(endpoint, 'v1/control/stream'), {
    method: 'GET',
    headers: headers(endpoint, { accept: 'text/event-stream' }),
    headersTimeout: endpoint.timeoutMs,
    bodyTimeout: idleMs,
    signal,
    ...(endpoint.dispatcher ? { dispatcher: endpoint.dispatcher } : {}),
  });
  if (response.statusCode !== 200) {
    const text = await response.body.text();
    throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
  }
  const parser = new SseParser({ onComment: () => handlers.onContact() });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body) {
      handlers.onContact();
      for (const message of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
        if (message.event === 'state') handlers.onState(parseState(message.data));
      }
    }
  } finally {
    response.body.destroy();
  }
}

/** `POST /v1/policies/{name}/shadow-reports`; throws when the server does not take it. */
export async function postShadowReport(
  endpoint: ControlEndpoint,
  name: string,
  report: ShadowReportBody,
): Promise<void> {
  const base = endpoint.baseUrl.href.endsWith('/') ? endpoint.baseUrl : `${endpoint.baseUrl.href}/`;
  const response = await request(
    new URL(`v1/policies/${encodeURIComponent(name)}/shadow-reports`, base),
    {
      method: 'POST',
      headers: headers(endpoint, { 'content-type': 'application/json' }),
      body: JSON.stringify(report),
      headersTimeout: endpoint.timeoutMs,
      bodyTimeout: endpoint.timeoutMs,
      ...(endpoint.dispatcher ? { dispatcher: endpoint.dispatcher } : {}),
    },
  );
  await response.body.dump();
  if (response.statusCode !== 204) throw new Error(`HTTP ${response.statusCode}`);
}

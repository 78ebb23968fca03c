import type { IncomingMessage, ServerResponse } from 'node:http';
import { canSee, type Principal } from '../auth/principal.js';
import { fail, requestNotFound } from '../service/failures.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import { principalFromHeader } from './auth-middleware.js';
import { type KeepAlive, parseLastEventId, runEventStream } from './event-stream.js';
import { errorBody } from './http-errors.js';
import { streamToNodeResponse } from './sse-sink.js';
import { waitForRequest, waitQuerySchema } from './wait-core.js';

const REQUEST_ROUTE = /^\/v1\/requests\/([^/]+)\/(wait|events)$/;

/** Handles one request on the Node server, or returns false to leave it to the Hono app. */
export type NodeRouteHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function queryObject(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (key in query) {
      throw fail('validation_failed', `Give the query parameter "${key}" once`, { parameter: key });
    }
    query[key] = value;
  }
  return query;
}

/**
 * The long-lived routes (`GET /v1/requests/:id/wait`, `/v1/requests/:id/events`, `/v1/events`)
 * served on Node's request and response directly. They behave exactly like their Hono
 * counterparts (same auth, validation, errors) but keep a waiter's footprint to the socket and its
 * subscription, which is what lets one process hold ten thousand waiters.
 */
export function fastWaitRoutes(
  context: ServiceContext,
  keepAlive: KeepAlive,
  logError: (error: unknown) => void,
): NodeRouteHandler {
  return (request, response) => {
    if (request.method !== 'GET' || !request.url) return false;
    const mark = request.url.indexOf('?');
    const path = mark === -1 ? request.url : request.url.slice(0, mark);
    const search = mark === -1 ? '' : request.url.slice(mark + 1);
    let target: { kind: 'wait' | 'events'; id: string } | { kind: 'all' };
    if (path === '/v1/events') {
      target = { kind: 'all' };
    } else {
      const match = REQUEST_ROUTE.exec(path);
      if (!match) return false;
      let id: string;
      try {
        id = decodeURIComponent(match[1] as string);
      } catch {
        return false;
      }
      target = { kind: match[2] as 'wait' | 'events', id };
    }
    serve(context, keepAlive, request, response, target, search).catch((error: unknown) => {
      const { status, body } = errorBody(error, logError);
      sendJson(response, status, body);
    });
    return true;
  };
}

async function serve(
  context: ServiceContext,
  keepAlive: KeepAlive,
  request: IncomingMessage,
  response: ServerResponse,
  target: { kind: 'wait' | 'events'; id: string } | { kind: 'all' },
  search: string,
): Promise<void> {
  const principal: Principal = await principalFromHeader(
    context.store,
    request.headers.authorization ?? '',
  );
  const query = queryObject(search);
  if (target.kind === 'wait') {
    const { timeout } = waitQuerySchema.parse(query);
    const found = await waitForRequest(context, principal, target.id, timeout, (listener) => {
      response.once('close', listener);
      return () => response.off('close', listener);
    });
    sendJson(response, 200, found);
    return;
  }
  const header = request.headers['last-event-id'];
  const lastEventId = parseLastEventId(typeof header === 'string' ? header : query.lastEventId);
  if (target.kind === 'events') {
    const { id } = target;
    const visible = await context.store.read((tx) => loadVisible(tx, principal, id));
    if (!visible) throw requestNotFound(id);
    streamToNodeResponse(response, (sink) =>
      runEventStream(context, sink, {
        requestId: id,
        afterId: lastEventId ?? 0,
        visible: () => true,
        keepAlive,
      }),
    );
    return;
  }
  // Without Last-Event-ID the firehose starts now rather than replaying all history.
  const afterId = lastEventId ?? (await context.store.read((tx) => tx.latestEventId()));
  streamToNodeResponse(response, (sink) =>
    runEventStream(context, sink, {
      afterId,
      visible: (event) => canSee(principal, event.request),
      keepAlive,
    }),
  );
}

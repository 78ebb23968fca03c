import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateRequest } from './auth-middleware.js';
import { errorBody } from './http-errors.js';
import { type LongLivedServices, type LongLivedTarget, planLongLived } from './long-lived-plan.js';
import type { RequestLimits } from './request-limits.js';
import { streamToNodeResponse } from './sse-sink.js';

const REQUEST_ROUTE = /^\/v1\/requests\/([^/]+)\/(wait|events)$/;

/** Handles one request on the Node server, or returns false to leave it to the Hono app. */
export type NodeRouteHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The long-lived route a path names, or undefined to leave it to the Hono app. */
function matchTarget(path: string): LongLivedTarget | undefined {
  if (path === '/v1/events') return { kind: 'all' };
  const match = REQUEST_ROUTE.exec(path);
  if (!match) return undefined;
  try {
    return { kind: match[2] as 'wait' | 'events', id: decodeURIComponent(match[1] as string) };
  } catch {
    return undefined;
  }
}

/**
 * The long-lived routes (`GET /v1/requests/:id/wait`, `/v1/requests/:id/events`, `/v1/events`)
 * served on Node's request and response directly. They share their definition with the Hono
 * routes ({@link planLongLived}, {@link authenticateRequest}) but keep a waiter's footprint to the
 * socket and its subscription, which is what lets one process hold ten thousand waiters.
 */
export function fastWaitRoutes(
  services: LongLivedServices,
  limits: RequestLimits,
  logError: (error: unknown) => void,
): NodeRouteHandler {
  return (request, response) => {
    if (request.method !== 'GET' || !request.url) return false;
    const mark = request.url.indexOf('?');
    const path = mark === -1 ? request.url : request.url.slice(0, mark);
    const target = matchTarget(path);
    if (!target) return false;
    const search = mark === -1 ? '' : request.url.slice(mark + 1);
    serve(services, limits, request, response, target, search).catch((error: unknown) => {
      const { status, body, headers } = errorBody(error, logError);
      sendJson(response, status, body, headers);
    });
    return true;
  };
}

async function serve(
  services: LongLivedServices,
  limits: RequestLimits,
  request: IncomingMessage,
  response: ServerResponse,
  target: LongLivedTarget,
  search: string,
): Promise<void> {
  const principal = await authenticateRequest(
    services.context.store,
    limits,
    request.headers.authorization ?? '',
    request.socket.remoteAddress,
    services.context.bus,
  );
  const lastEventId = request.headers['last-event-id'];
  const plan = await planLongLived(
    services,
    principal,
    target,
    new URLSearchParams(search),
    typeof lastEventId === 'string' ? lastEventId : undefined,
  );
  if (plan.kind === 'wait') {
    const found = await plan.run((listener) => {
      response.once('close', listener);
      return () => response.off('close', listener);
    });
    sendJson(response, 200, found);
    return;
  }
  streamToNodeResponse(response, plan.run);
}

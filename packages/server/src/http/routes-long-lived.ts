import type { ServerResponse } from 'node:http';
import { type Context, Hono } from 'hono';
import type { AppEnv } from './auth-middleware.js';
import { type LongLivedServices, type LongLivedTarget, planLongLived } from './long-lived-plan.js';
import { respondWithSse } from './sse-sink.js';

/**
 * Calls `listener` when the client goes away. On the Node server it listens on the raw response;
 * touching `c.req.raw.signal` there would build a full Request per waiter, which costs memory.
 */
function onClientGone(c: Context, listener: () => void): () => void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.once === 'function') {
    outgoing.once('close', listener);
    return () => outgoing.off('close', listener);
  }
  const signal = c.req.raw.signal;
  signal.addEventListener('abort', listener);
  return () => signal.removeEventListener('abort', listener);
}

/** Serves one long-lived route from its shared plan (the same one the Node fast path runs). */
async function serveLongLived(
  services: LongLivedServices,
  c: Context<AppEnv>,
  target: LongLivedTarget,
): Promise<Response> {
  const plan = await planLongLived(
    services,
    c.get('principal'),
    target,
    new URL(c.req.url).searchParams,
    c.req.header('last-event-id'),
  );
  if (plan.kind === 'wait') return c.json(await plan.run((listener) => onClientGone(c, listener)));
  return respondWithSse(c, plan.run);
}

/**
 * `GET /:id/wait` and `GET /:id/events` (mounted at `/v1/requests`) and `GET /` (mounted at
 * `/v1/events`), answering `app.request()`; `startServer` serves them on its fast path.
 */
export function longLivedRoutes(services: LongLivedServices): {
  perRequest: Hono<AppEnv>;
  all: Hono<AppEnv>;
} {
  const perRequest = new Hono<AppEnv>();
  perRequest.get('/:id/wait', (c) =>
    serveLongLived(services, c, { kind: 'wait', id: c.req.param('id') }),
  );
  perRequest.get('/:id/events', (c) =>
    serveLongLived(services, c, { kind: 'events', id: c.req.param('id') }),
  );
  const all = new Hono<AppEnv>();
  all.get('/', (c) => serveLongLived(services, c, { kind: 'all' }));
  return { perRequest, all };
}

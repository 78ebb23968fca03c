import type { ServerResponse } from 'node:http';
import { type Context, Hono } from 'hono';
import type { ServiceContext } from '../service/service-context.js';
import type { AppEnv } from './auth-middleware.js';
import { readQuery } from './read-input.js';
import { waitForRequest, waitQuerySchema } from './wait-core.js';

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

/** `GET /:id/wait?timeout=SECONDS`: answers once the request is terminal or the timeout passes. */
export function waitRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/:id/wait', async (c) => {
    const { timeout } = readQuery(c, waitQuerySchema);
    const request = await waitForRequest(
      context,
      c.get('principal'),
      c.req.param('id'),
      timeout,
      (listener) => onClientGone(c, listener),
    );
    return c.json(request);
  });
  return app;
}

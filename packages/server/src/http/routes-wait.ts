import type { ServerResponse } from 'node:http';
import { type ApprovalRequest, isTerminalStatus } from '@countersign/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { requestNotFound } from '../service/failures.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import type { AppEnv } from './auth-middleware.js';
import { readQuery } from './read-input.js';

/** The longest a long-poll may hold, in seconds. */
export const MAX_WAIT_SECONDS = 60;

const waitQuerySchema = z.strictObject({
  timeout: z.coerce.number().min(0).max(MAX_WAIT_SECONDS).default(25),
});

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

/** The request when it can be answered at once (terminal, or no wait asked); 404 when unseen. */
async function answerNow(
  context: ServiceContext,
  principal: Principal,
  id: string,
  timeout: number,
): Promise<ApprovalRequest | undefined> {
  const current = await context.store.read((tx) => loadVisible(tx, principal, id));
  if (!current) throw requestNotFound(id);
  return isTerminalStatus(current.status) || timeout === 0 ? current : undefined;
}

/** `GET /:id/wait?timeout=SECONDS`: answers once the request is terminal or the timeout passes. */
export function waitRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/:id/wait', async (c) => {
    const { timeout } = readQuery(c, waitQuerySchema);
    const id = c.req.param('id');
    const principal = c.get('principal');
    let settle: (request: ApprovalRequest | undefined) => void = () => undefined;
    const settled = new Promise<ApprovalRequest | undefined>((resolve) => {
      settle = resolve;
    });
    // Subscribe before reading, so a decision between the read and the wait is not missed.
    const unsubscribe = context.bus.subscribe(id, (event) => {
      if (isTerminalStatus(event.request.status)) settle(event.request);
    });
    const timer = setTimeout(() => settle(undefined), timeout * 1000);
    const stopListening = onClientGone(c, () => settle(undefined));
    try {
      // Read in a helper so the waiting frame holds nothing but the subscription.
      const immediate = await answerNow(context, principal, id, timeout);
      if (immediate) return c.json(immediate);
      const terminal = await settled;
      if (terminal) return c.json(terminal);
      const latest = await context.store.read((tx) => loadVisible(tx, principal, id));
      if (!latest) throw requestNotFound(id);
      return c.json(latest);
    } finally {
      clearTimeout(timer);
      unsubscribe();
      stopListening();
    }
  });
  return app;
}

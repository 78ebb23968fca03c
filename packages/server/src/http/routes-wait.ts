import { type ApprovalRequest, isTerminalStatus } from '@countersign/core';
import { Hono } from 'hono';
import { z } from 'zod';
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
    const onAbort = () => settle(undefined);
    c.req.raw.signal.addEventListener('abort', onAbort);
    try {
      const current = await context.store.read((tx) => loadVisible(tx, principal, id));
      if (!current) throw requestNotFound(id);
      if (isTerminalStatus(current.status) || timeout === 0) return c.json(current);
      const terminal = await settled;
      if (terminal) return c.json(terminal);
      const latest = await context.store.read((tx) => tx.getRequest(id));
      return c.json(latest ?? current);
    } finally {
      clearTimeout(timer);
      unsubscribe();
      c.req.raw.signal.removeEventListener('abort', onAbort);
    }
  });
  return app;
}

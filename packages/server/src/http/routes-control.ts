import { policyNameSchema, stopBodySchema, stopScopeSchema } from '@countersign/core/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ControlHub } from '../service/control-hub.js';
import { controlStateFor, readControlState } from '../service/control-state.js';
import { resumeScope, stopScope } from '../service/emergency-stop.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import { type AppEnv, requireRole } from './auth-middleware.js';
import type { KeepAlive } from './event-stream.js';
import { readJson, readQuery } from './read-input.js';
import { respondWithSse, sseMessage } from './sse-sink.js';

/** The query of `GET /v1/control` and `/v1/control/stream`. */
export const controlQuerySchema = z.strictObject({
  policy: policyNameSchema
    .optional()
    .describe('The central policy the gate follows; absent: only the stops that reach the caller'),
});

/**
 * What gates follow, mounted at `/v1/control`: the state as JSON (with an ETag, for revalidation)
 * and as an event stream that sends a `state` event on connect and after every change.
 */
export function controlRoutes(
  context: ServiceContext,
  hub: ControlHub,
  keepAlive: KeepAlive,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { policy } = readQuery(c, controlQuerySchema);
    const state = await context.store.read((tx) =>
      readControlState(tx, c.get('principal'), policy),
    );
    c.header('etag', state.etag);
    c.header('cache-control', 'no-cache');
    if (c.req.header('if-none-match') === state.etag) return c.body(null, 304);
    return c.json(state);
  });
  app.get('/stream', async (c) => {
    const { policy } = readQuery(c, controlQuerySchema);
    const principal = c.get('principal');
    const read = async () => controlStateFor(await hub.shared(policy), principal, policy);
    const first = await read();
    return respondWithSse(c, async (sink) => {
      let sent = '';
      let counter = 0;
      let reading = Promise.resolve();
      const send = (state: Awaited<ReturnType<typeof read>>) => {
        if (state.etag === sent) return;
        sent = state.etag;
        counter += 1;
        sink.write(sseMessage(String(counter), 'state', JSON.stringify(state)));
      };
      send(first);
      // Changes are read one after another, so a burst ends with the latest state sent last.
      const unsubscribe = hub.subscribe(() => {
        reading = reading.then(() => read().then(send, () => undefined));
      });
      let ended = () => undefined as undefined;
      const revoked = new Promise<void>((resolve) => {
        ended = () => resolve() as undefined;
      });
      const stopRevocation = context.bus.onKeyRevoked((keyId) => {
        if (keyId === principal.keyId) ended();
      });
      const stopKeepAlive = keepAlive.add(sink);
      try {
        await Promise.race([sink.closed, revoked]);
      } finally {
        unsubscribe();
        stopRevocation();
        stopKeepAlive();
      }
    });
  });
  return app;
}

/** Emergency stops, mounted at `/v1/stops` (admins). */
export function stopRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));
  app.get('/', async (c) => {
    return c.json({ items: await context.store.read((tx) => tx.listStops()) });
  });
  app.post('/', async (c) => {
    const body = await readJson(c, stopBodySchema);
    const result = await stopScope(
      context,
      c.get('principal'),
      body.scope,
      body.reason ?? 'no reason given',
    );
    return c.json(result, 201);
  });
  app.delete('/:scope', async (c) => {
    const scope = stopScopeSchema.safeParse(c.req.param('scope'));
    if (!scope.success)
      throw fail('validation_failed', 'The scope is all, agent:NAME or policy:NAME');
    await resumeScope(context, c.get('principal'), scope.data);
    return c.body(null, 204);
  });
  return app;
}

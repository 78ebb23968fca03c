import { Hono } from 'hono';
import { z } from 'zod';
import type { ServiceContext } from '../service/service-context.js';
import type { Identity } from './admin-schemas.js';
import { type AppEnv, authenticate } from './auth-middleware.js';
import { errorResponse } from './http-errors.js';
import { openApiDocument } from './openapi.js';

/** The answer of `GET /healthz`. */
export const healthSchema = z.object({
  status: z.literal('ok').describe('The process is up'),
});

/** The answer of `GET /readyz` when the database answers. */
export const readinessSchema = z.object({
  status: z.literal('ready').describe('The database answers: the server can take traffic'),
});

/** Health, readiness, the OpenAPI document and `GET /v1/me`. */
export function metaRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' } satisfies z.infer<typeof healthSchema>));
  app.get('/readyz', async (c) =>
    (await context.store.ping())
      ? c.json({ status: 'ready' } satisfies z.infer<typeof readinessSchema>)
      : errorResponse(c, 'service_unavailable', 'The database is not reachable'),
  );
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/v1/me', authenticate(context.store), (c) => {
    const { id, role, name, groups } = c.get('principal');
    const identity: Identity = { principal: id, role, name, groups };
    return c.json(identity);
  });
  return app;
}

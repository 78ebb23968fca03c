import { Hono, type MiddlewareHandler } from 'hono';
import type { ServiceContext } from '../service/service-context.js';
import type { AppEnv } from './auth-middleware.js';
import { errorResponse } from './http-errors.js';
import { openApiDocument } from './openapi.js';

/** Health, readiness, the OpenAPI document and `GET /v1/me`. */
export function metaRoutes(
  context: ServiceContext,
  authenticate: MiddlewareHandler<AppEnv>,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) =>
    (await context.store.ping())
      ? c.json({ status: 'ready' })
      : errorResponse(c, 'service_unavailable', 'The database is not reachable'),
  );
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/v1/me', authenticate, (c) => {
    const { id, role, name, groups } = c.get('principal');
    return c.json({ principal: id, role, name, groups });
  });
  return app;
}

import { Hono, type MiddlewareHandler } from 'hono';
import type { ServiceContext } from '../service/service-context.js';
import type { AppEnv } from './auth-middleware.js';
import { errorResponse } from './http-errors.js';
import type { Health, Identity, Readiness } from './meta-schemas.js';
import { openApiDocument } from './openapi.js';

/** Health, readiness, the OpenAPI document and `GET /v1/me`. */
export function metaRoutes(
  context: ServiceContext,
  authenticate: MiddlewareHandler<AppEnv>,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' } satisfies Health));
  app.get('/readyz', async (c) =>
    (await context.store.ping())
      ? c.json({ status: 'ready' } satisfies Readiness)
      : errorResponse(c, 'service_unavailable', 'The database is not reachable'),
  );
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/v1/me', authenticate, (c) => {
    const { id, role, name, groups } = c.get('principal');
    const identity: Identity = { principal: id, role, name, groups };
    return c.json(identity);
  });
  return app;
}

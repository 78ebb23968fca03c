import { createGrantBodySchema, revokeGrantBodySchema } from '@countersign/core/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import { fail } from '../service/failures.js';
import { createGrant, getGrant, listGrants, revokeGrant } from '../service/grants.js';
import type { ServiceContext } from '../service/service-context.js';
import type { AppEnv } from './auth-middleware.js';
import { readJson, readQuery } from './read-input.js';

/** The query of `GET /v1/grants`. */
export const grantListQuerySchema = z.strictObject({
  status: z
    .enum(['active', 'all'])
    .default('active')
    .describe(
      'active (default): only the grants that still approve; all: revoked, expired and used up too',
    ),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Most grants returned'),
});

/** `/v1/grants`: list and read what the caller may see, create (admins), revoke (granter or admin). */
export function grantRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const query = readQuery(c, grantListQuerySchema);
    const items = await listGrants(context, c.get('principal'), {
      live: query.status === 'active',
      limit: query.limit,
    });
    return c.json({ items });
  });

  app.post('/', async (c) => {
    // Who may is answered before what was sent: a reviewer learns nothing from a body check.
    if (c.get('principal').role !== 'admin') {
      throw fail('forbidden', 'Only admins create grants directly');
    }
    const body = await readJson(c, createGrantBodySchema);
    const grant = await createGrant(context, c.get('principal'), body);
    return c.json(grant, 201, { location: `/v1/grants/${encodeURIComponent(grant.id)}` });
  });

  app.get('/:id', async (c) =>
    c.json(await getGrant(context, c.get('principal'), c.req.param('id'))),
  );

  app.post('/:id/revoke', async (c) => {
    const body = await readJson(c, revokeGrantBodySchema, { optional: true });
    return c.json(await revokeGrant(context, c.get('principal'), c.req.param('id'), body.reason));
  });

  return app;
}

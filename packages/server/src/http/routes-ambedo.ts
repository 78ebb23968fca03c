import {
  type ApprovalRequest,
  createRequestBodySchema,
  jsonObjectSchema,
} from '@countersign/core/protocol';
import { type Context, Hono } from 'hono';
import { visibilityFor } from '../auth/principal.js';
import { ambedoPause } from '../service/ambedo-view.js';
import { createRequest } from '../service/create-request.js';
import { decideRequest } from '../service/decide-request.js';
import { requestNotFound } from '../service/failures.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import {
  approveBodySchema,
  type PauseView,
  pauseBodySchema,
  pauseListQuerySchema,
} from './ambedo-schemas.js';
import type { AppEnv } from './auth-middleware.js';
import { readJson, readQuery } from './read-input.js';

function pauseView(c: Context, request: ApprovalRequest): PauseView {
  const { agentContext, ...pause } = ambedoPause(request);
  return {
    ...pause,
    statusUrl: new URL(`/api/pause/${encodeURIComponent(request.id)}`, c.req.url).toString(),
    agentContext,
  };
}

/** The Ambedo-compatible pause API, on the same requests and keys as /v1. */
export function ambedoRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/pause', async (c) => {
    const body = await readJson(c, pauseBodySchema);
    const asObject = jsonObjectSchema.safeParse(body.context);
    const create = createRequestBodySchema.parse({
      action: body.action,
      kind: 'approval',
      ...(asObject.success ? { context: asObject.data } : {}),
      ...(!asObject.success && body.context !== undefined
        ? { context: { value: body.context }, metadata: { ambedoContext: body.context } }
        : {}),
      ...(body.webhookUrl ? { callbackUrl: body.webhookUrl } : {}),
    });
    const { request } = await createRequest(context, c.get('principal'), create, {
      callbackField: 'webhookUrl',
      callbackFormat: 'ambedo',
    });
    const view = pauseView(c, request);
    return c.json({ watchId: view.watchId, statusUrl: view.statusUrl, status: view.status }, 201);
  });

  app.get('/pause', async (c) => {
    const query = readQuery(c, pauseListQuerySchema);
    const page = await context.store.read((tx) =>
      tx.listRequests({
        visibility: visibilityFor(c.get('principal')),
        ...(query.status ? { status: query.status } : {}),
        limit: query.limit,
        offset: query.offset,
      }),
    );
    return c.json({
      pauses: page.items.map((request) => pauseView(c, request)),
      limit: query.limit,
      offset: query.offset,
    });
  });

  app.get('/pause/:watchId', async (c) => {
    const id = c.req.param('watchId');
    const request = await context.store.read((tx) => loadVisible(tx, c.get('principal'), id));
    if (!request) throw requestNotFound(id);
    return c.json(pauseView(c, request));
  });

  app.post('/pause/:watchId/approve', async (c) => {
    const body = await readJson(c, approveBodySchema);
    const approve = 'approved' in body ? body.approved : body.decision === 'approve';
    const request = await decideRequest(
      context,
      c.get('principal'),
      c.req.param('watchId'),
      approve
        ? { outcome: 'approve', ...(body.reason ? { comment: body.reason } : {}) }
        : { outcome: 'reject', reason: body.reason ?? 'Rejected without a reason' },
      'api',
    );
    return c.json(pauseView(c, request));
  });

  return app;
}

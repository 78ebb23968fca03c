import {
  cancelBodySchema,
  createRequestBodySchema,
  decisionBodySchema,
  type GrantOptions,
  requestKindSchema,
  requestStatusSchema,
  updateRequestBodySchema,
} from '@countersign/core/protocol';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { visibilityFor } from '../auth/principal.js';
import { CHANNEL_HEADER, httpDecisionChannel } from '../observability/decision-channel.js';
import { cancelRequest, updateRequest } from '../service/change-request.js';
import { createRequest } from '../service/create-request.js';
import { decideRequest } from '../service/decide-request.js';
import { fail, requestNotFound } from '../service/failures.js';
import { grantChoicesFor } from '../service/grant-choices.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import type { AppEnv } from './auth-middleware.js';
import { decodeCursor, pageWithCursor } from './list-cursor.js';
import { readJson, readQuery } from './read-input.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The query of `GET /v1/requests`. */
export const requestListQuerySchema = z.strictObject({
  status: requestStatusSchema.optional().describe('Only requests with this status'),
  kind: requestKindSchema.optional().describe('Only requests of this kind'),
  requester: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe('Only requests created by this principal, e.g. agent:billing-bot'),
  assignee: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe('Only requests assigned to this user:NAME or group:NAME'),
  cursor: z
    .string()
    .max(100)
    .refine((cursor) => decodeCursor(cursor) !== undefined, { message: 'Unknown cursor' })
    .transform((cursor) => decodeCursor(cursor) as number)
    .optional()
    .describe('The nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size'),
});

// Room for `{"items":[…],"nextCursor":"…"}` around the items, so the whole body keeps the budget.
const ENVELOPE_BYTES = 64;

/** The request's `Idempotency-Key` header, if any; 400 when it is not 1-255 visible ASCII. */
export function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw fail('validation_failed', 'Idempotency-Key must be 1-255 visible ASCII characters');
  }
  return key;
}

/** Create, list, read, decide, cancel and change requests, and read their grant options. */
export function requestRoutes(context: ServiceContext, listPageMaxBytes: number): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const body = await readJson(c, createRequestBodySchema);
    const key = idempotencyKeyOf(c);
    const traceparent = c.get('traceparent');
    const result = await createRequest(context, c.get('principal'), body, {
      ...(key === undefined ? {} : { idempotencyKey: key }),
      ...(traceparent === undefined ? {} : { traceparent }),
    });
    return c.json(result.request, result.replayed ? 200 : 201, {
      location: result.request.links.self,
    });
  });

  app.get('/', async (c) => {
    const { cursor, ...query } = readQuery(c, requestListQuerySchema);
    const visibility = visibilityFor(c.get('principal'));
    const page = await context.store.read((tx) =>
      tx.listRequests({
        ...query,
        ...(cursor === undefined ? {} : { before: cursor }),
        visibility,
        maxBytes: listPageMaxBytes - ENVELOPE_BYTES,
      }),
    );
    return c.json(pageWithCursor(page));
  });

  // Read as the request itself is: whoever may see it (404 for the others).
  const readVisible = async (c: Context<AppEnv>) => {
    const id = c.req.param('id') as string;
    const request = await context.store.read((tx) => loadVisible(tx, c.get('principal'), id));
    if (!request) throw requestNotFound(id);
    return request;
  };

  app.get('/:id', async (c) => c.json(await readVisible(c)));

  // The grant choices the Slack modal and the email page offer, for the dashboard's form.
  app.get('/:id/grant-options', async (c) => {
    const choices = grantChoicesFor(context, await readVisible(c));
    const options: GrantOptions = choices ? { allowed: true, ...choices } : { allowed: false };
    return c.json(options);
  });

  app.patch('/:id', async (c) => {
    const body = await readJson(c, updateRequestBodySchema);
    return c.json(await updateRequest(context, c.get('principal'), c.req.param('id'), body));
  });

  app.post('/:id/decisions', async (c) => {
    const body = await readJson(c, decisionBodySchema);
    const channel = httpDecisionChannel(c.req.header(CHANNEL_HEADER));
    return c.json(
      await decideRequest(context, c.get('principal'), c.req.param('id'), body, channel),
    );
  });

  app.post('/:id/cancel', async (c) => {
    const body = await readJson(c, cancelBodySchema, { optional: true });
    return c.json(await cancelRequest(context, c.get('principal'), c.req.param('id'), body));
  });

  return app;
}

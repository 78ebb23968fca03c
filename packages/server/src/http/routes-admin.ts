import { requestEventTypeSchema } from '@countersign/core/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import { createApiKey, ROLES } from '../auth/api-keys.js';
import { newId } from '../ids.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import type { ApiKeyRecord, WebhookRecord } from '../store/store-types.js';
import { callbackSecret } from '../webhooks/enqueue-webhooks.js';
import { newWebhookSecret } from '../webhooks/signer.js';
import { type AppEnv, requireRole } from './auth-middleware.js';
import { readJson } from './read-input.js';

const webhookEventSchema = z.enum(requestEventTypeSchema.options.map((type) => `request.${type}`));

const createWebhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2048),
  events: z.array(webhookEventSchema).max(20).default([]),
});

const createKeySchema = z.strictObject({
  role: z.enum(ROLES as ['agent', 'reviewer', 'admin']),
  name: z.string().min(1).max(128),
  groups: z.array(z.string().min(1).max(128)).max(50).default([]),
});

/** A webhook as listed: the secret is shown once, on create. */
function publicWebhook({ secret: _secret, ...rest }: WebhookRecord) {
  return rest;
}

/** A key as listed: never its hash. */
export function publicKey({ hash: _hash, ...rest }: ApiKeyRecord) {
  return rest;
}

/** Admin-only webhook subscriptions, mounted at `/v1/webhooks`. */
export function webhookRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));
  const { store, clock } = context;

  app.post('/', async (c) => {
    const body = await readJson(c, createWebhookSchema);
    const webhook: WebhookRecord = {
      id: newId('wh'),
      url: body.url,
      secret: newWebhookSecret(),
      events: [...new Set(body.events)],
      enabled: true,
      createdAt: new Date(clock.now()).toISOString(),
    };
    await store.transaction((tx) => tx.insertWebhook(webhook));
    return c.json(webhook, 201);
  });
  app.get('/', async (c) => {
    const items = await store.read((tx) => tx.listWebhooks());
    return c.json({ items: items.map(publicWebhook) });
  });
  app.get('/callback-secret', async (c) => {
    return c.json({ secret: await store.transaction((tx) => callbackSecret(tx)) });
  });
  app.delete('/:id', async (c) => {
    const id = c.req.param('id');
    const deleted = await store.transaction(async (tx) => {
      const found = await tx.deleteWebhook(id);
      if (found) await tx.disableOutboxFor(id);
      return found;
    });
    if (!deleted) throw fail('not_found', `No webhook ${id}`);
    return c.body(null, 204);
  });
  return app;
}

/** Admin-only API keys, mounted at `/v1/keys`. */
export function keyRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));
  const { store, clock } = context;

  app.post('/', async (c) => {
    const body = await readJson(c, createKeySchema);
    const { key, record } = await store.transaction((tx) =>
      createApiKey(tx, body, new Date(clock.now())),
    );
    return c.json({ ...publicKey(record), key }, 201);
  });
  app.get('/', async (c) => {
    const items = await store.read((tx) => tx.listApiKeys());
    return c.json({ items: items.map(publicKey) });
  });
  app.delete('/:id', async (c) => {
    const id = c.req.param('id');
    const revoked = await store.transaction((tx) =>
      tx.revokeApiKey(id, new Date(clock.now()).toISOString()),
    );
    if (!revoked) throw fail('not_found', `No live key ${id}`);
    // Open streams and long-polls of the key end now, not at their next event.
    context.bus.revokeKey(id);
    return c.body(null, 204);
  });
  return app;
}

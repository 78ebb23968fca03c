import { Hono } from 'hono';
import { createApiKey } from '../auth/api-keys.js';
import { newId } from '../ids.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import type { ApiKeyRecord, WebhookRecord } from '../store/store-types.js';
import { callbackSecret } from '../webhooks/enqueue-webhooks.js';
import { newWebhookSecret } from '../webhooks/signer.js';
import {
  type ApiKey,
  createKeyBodySchema,
  createWebhookBodySchema,
  type Webhook,
} from './admin-schemas.js';
import { type AppEnv, requireRole } from './auth-middleware.js';
import { readJson } from './read-input.js';

/** A webhook as listed: the secret is shown once, on create. */
function publicWebhook({ secret: _secret, ...rest }: WebhookRecord): Webhook {
  return rest;
}

/** A key as listed: never its hash. */
export function publicKey({ hash: _hash, ...rest }: ApiKeyRecord): ApiKey {
  return rest;
}

/** Admin-only webhook subscriptions, mounted at `/v1/webhooks`. */
export function webhookRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));
  const { store, clock } = context;

  app.post('/', async (c) => {
    const body = await readJson(c, createWebhookBodySchema);
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
    const body = await readJson(c, createKeyBodySchema);
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

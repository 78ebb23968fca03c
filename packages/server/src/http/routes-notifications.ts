import { Hono } from 'hono';
import { isoTime } from '../clock.js';
import { NOTIFY_PREFIX, type Notification } from '../notify/notification-types.js';
import { requestNotFound } from '../service/failures.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import type { OutboxMessage } from '../store/store-types.js';
import { type AppEnv, requireRole } from './auth-middleware.js';
import type { NotificationView } from './notification-schemas.js';
import { notificationQuerySchema } from './notification-schemas.js';
import { readQuery } from './read-input.js';

/** A notification's outbox row as the API shows it. */
export function notificationView(message: OutboxMessage): NotificationView {
  const notification = JSON.parse(message.body) as Notification;
  return {
    id: message.id,
    requestId: notification.requestId,
    kind: notification.kind,
    channel: notification.channel,
    address: notification.address,
    ...(notification.user ? { user: `user:${notification.user}` } : {}),
    status: message.status,
    attempts: message.attempts,
    ...(message.lastError ? { lastError: message.lastError } : {}),
    createdAt: isoTime(message.createdAt),
    ...(message.status === 'pending' ? { nextAttemptAt: isoTime(message.nextAttemptAt) } : {}),
  };
}

/**
 * `GET /v1/requests/:id/notifications`: who was told of a request, for the reviewers and admins
 * who may see it (agents are not shown people's addresses).
 */
export function requestNotificationRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/:id/notifications', requireRole('reviewer', 'admin'), async (c) => {
    const id = c.req.param('id');
    const items = await context.store.read(async (tx) => {
      if (!(await loadVisible(tx, c.get('principal'), id))) throw requestNotFound(id);
      return tx.listRequestOutbox(id, NOTIFY_PREFIX, 500);
    });
    return c.json({ items: items.map(notificationView) });
  });
  return app;
}

/** `GET /v1/notifications` (admins): deliveries by status, so a failing channel is seen. */
export function notificationRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));
  app.get('/', async (c) => {
    const { status, limit } = readQuery(c, notificationQuerySchema);
    const items = await context.store.read((tx) =>
      tx.listOutboxByStatus(status, NOTIFY_PREFIX, limit),
    );
    return c.json({ items: items.map(notificationView) });
  });
  return app;
}

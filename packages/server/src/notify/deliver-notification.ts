import type { ApprovalRequest } from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import { isoTime } from '../clock.js';
import type { ServiceContext } from '../service/service-context.js';
import type { OutboxMessage, StoreTx } from '../store/store-types.js';
import { signDecisionToken } from './links/decision-token.js';
import {
  NOTIFY_PREFIX,
  type Notification,
  type NotificationLinks,
  PermanentDeliveryError,
} from './notification-types.js';
import type { Notifier } from './notifier.js';

/** How one attempt went, as the outbox worker records it. */
export type NotificationOutcome = { ok: true } | { ok: false; error: string; final?: boolean };

// Delivery work: it never goes ahead of the answers of the commit whose sync it waited for.
const DELIVERY_READ = { background: true } as const;

/** A link without a deadline lasts this long. */
export const UNDATED_LINK_MS = 7 * 24 * 3_600_000;

/** True for an outbox row that is a notification (not a webhook). */
export const isNotification = (message: OutboxMessage) => message.url.startsWith(NOTIFY_PREFIX);

/** The links of one message: the dashboard always; the signed decision page when it may decide. */
export async function linksFor(
  notifier: Notifier,
  tx: StoreTx,
  notification: Notification,
  request: ApprovalRequest,
  now: number,
): Promise<NotificationLinks> {
  const links: NotificationLinks = { dashboard: notifier.dashboardLink(request.id) };
  if (request.status !== 'pending' || !notification.user || notifier.decisionLinks !== 'decide') {
    return links;
  }
  const token = signDecisionToken(await notifier.linkSecret(tx), {
    nonce: notification.id,
    user: notification.user,
    requestId: request.id,
    version: request.version,
    ...(request.fingerprint ? { fingerprint: request.fingerprint } : {}),
    expiresAt: request.deadline ? Date.parse(request.deadline) : now + UNDATED_LINK_MS,
  });
  return { ...links, decide: `${notifier.publicUrl}/d/${token}` };
}

const failure = (error: string, final = false): NotificationOutcome => ({
  ok: false,
  error,
  final,
});

/** Rejects after `ms`, so one stuck channel holds its batch (and its lease) only so long. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Hands one notification to its channel, giving up the attempt after `timeoutMs` (it is then
 * retried); never throws (a failure is an outcome).
 */
export async function deliverNotification(
  context: ServiceContext,
  message: OutboxMessage,
  timeoutMs: number,
): Promise<NotificationOutcome> {
  const notifier = context.notifier;
  const notification = JSON.parse(message.body) as Notification;
  const channel = notifier?.channels.get(notification.channel);
  if (!notifier || !channel) {
    return failure(`Not sent: the ${notification.channel} channel is not configured`, true);
  }
  const now = context.clock.now();
  // With the link key made, the message is prepared by a read: the writer stays free.
  await notifier.ensureLinkSecret(context.store);
  const found = await context.store.read(async (tx) => {
    const request = await tx.getRequest(notification.requestId);
    const recipient = notification.user ? await tx.getUser(notification.user) : undefined;
    if (!request) return undefined;
    return { request, recipient, links: await linksFor(notifier, tx, notification, request, now) };
  }, DELIVERY_READ);
  if (!found) return failure(`Not sent: request ${notification.requestId} is gone`, true);
  if (found.recipient && !found.recipient.active) {
    return failure(`Not sent: user ${found.recipient.name} is disabled`, true);
  }
  try {
    const delivery = channel.deliver({
      notification,
      request: found.request,
      ...(found.recipient ? { recipient: found.recipient } : {}),
      links: found.links,
      publicUrl: notifier.publicUrl,
      store: context.store,
    });
    await within(delivery, timeoutMs, `The ${channel.name} channel`);
    return { ok: true };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return failure(text, error instanceof PermanentDeliveryError);
  }
}

/**
 * Audits one attempt: `notification.delivered`, `notification.retrying` (a failed attempt that
 * will be retried) or `notification.failed` (given up: admins find it in `GET /v1/notifications`).
 */
export async function auditNotification(
  tx: StoreTx,
  message: OutboxMessage,
  next: OutboxMessage,
  at: number,
): Promise<void> {
  const notification = JSON.parse(message.body) as Notification;
  const type =
    next.status === 'delivered'
      ? 'notification.delivered'
      : next.status === 'pending'
        ? 'notification.retrying'
        : 'notification.failed';
  await appendAudit(tx, {
    at: isoTime(at),
    type,
    requestId: notification.requestId,
    actor: null,
    data: {
      notificationId: message.id,
      kind: notification.kind,
      channel: notification.channel,
      address: notification.address,
      ...(notification.user ? { user: `user:${notification.user}` } : {}),
      attempts: next.attempts,
      ...(next.lastError ? { error: next.lastError } : {}),
      ...(next.status === 'pending' ? { nextAttemptAt: isoTime(next.nextAttemptAt) } : {}),
    },
  });
}

import type { RequestEvent } from '@countersign/core/protocol';
import { newId } from '../ids.js';
import type { ServiceContext } from '../service/service-context.js';
import type { StoreTx } from '../store/store-types.js';
import { NOTIFY_PREFIX, type Notification } from './notification-types.js';
import { planNotifications } from './plan-notifications.js';

/** The outbox `url` of a notification: `notify:CHANNEL:ADDRESS`. */
export const notificationUrl = (channel: string, address: string) =>
  `${NOTIFY_PREFIX}${channel}:${address}`;

/**
 * Plans the notifications of an event and writes one outbox row each, in the caller's
 * transaction, so a change and the messages about it commit together; resolves with how many.
 */
export async function enqueueNotifications(
  context: ServiceContext,
  tx: StoreTx,
  event: RequestEvent,
): Promise<number> {
  const notifier = context.notifier;
  if (!notifier || notifier.channels.size === 0) return 0;
  const now = context.clock.now();
  let queued = 0;
  for (const planned of await planNotifications(tx, event, notifier.channels)) {
    const url = notificationUrl(planned.channel, planned.address);
    const id = newId('ntf');
    const first = !(await tx.outboxSentTo(planned.requestId, url));
    const notification: Notification = { ...planned, id, first };
    await tx.enqueueOutbox({
      id,
      webhookId: null,
      url,
      secret: '',
      eventType: `notification.${planned.kind}`,
      body: JSON.stringify(notification),
      requestId: planned.requestId,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      status: 'pending',
    });
    queued++;
  }
  return queued;
}

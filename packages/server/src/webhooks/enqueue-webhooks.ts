import type { RequestEvent } from '@countersign/core/protocol';
import { newId } from '../ids.js';
import { ambedoPause } from '../service/ambedo-view.js';
import type { StoreTx } from '../store/store-types.js';
import { newWebhookSecret } from './signer.js';

const CALLBACK_SECRET = 'callback_secret';

/** The secret that signs per-request callbacks; created on first use. */
export async function callbackSecret(tx: StoreTx): Promise<string> {
  const existing = await tx.getSetting(CALLBACK_SECRET);
  if (existing) return existing;
  const secret = newWebhookSecret();
  await tx.setSetting(CALLBACK_SECRET, secret);
  return secret;
}

/** The webhook event type for a request event, e.g. `request.decided`. */
export function webhookEventType(event: RequestEvent): string {
  return `request.${event.type}`;
}

/**
 * Writes one outbox row per destination (the request's callback URL and each enabled subscription
 * that wants this type), in the caller's transaction; resolves with how many.
 */
export async function enqueueWebhooks(
  tx: StoreTx,
  event: RequestEvent,
  now: number,
): Promise<number> {
  const type = webhookEventType(event);
  // Written out only for a change that has somewhere to go: most have nowhere.
  let envelope: string | undefined;
  const body = () => {
    envelope ??= JSON.stringify({ type, timestamp: event.at, data: event });
    return envelope;
  };
  const destinations: { webhookId: string | null; url: string; secret: string; body: string }[] =
    [];
  const callback = event.request.callbackUrl ? callbackBody(event, body) : undefined;
  if (event.request.callbackUrl && callback !== undefined) {
    destinations.push({
      webhookId: null,
      url: event.request.callbackUrl,
      secret: await callbackSecret(tx),
      body: callback,
    });
  }
  for (const webhook of await tx.listWebhooks()) {
    if (!webhook.enabled) continue;
    if (webhook.events.length > 0 && !webhook.events.includes(type)) continue;
    destinations.push({
      webhookId: webhook.id,
      url: webhook.url,
      secret: webhook.secret,
      body: body(),
    });
  }
  for (const destination of destinations) {
    await tx.enqueueOutbox({
      id: newId('msg'),
      ...destination,
      eventType: type,
      requestId: event.requestId,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      status: 'pending',
    });
  }
  return destinations.length;
}

/**
 * The request's own callback body for this event, or undefined when it gets none: an Ambedo
 * `webhookUrl` receives only the change that resolves the request, as Ambedo's payload.
 */
function callbackBody(event: RequestEvent, envelope: () => string): string | undefined {
  if (event.request.callbackFormat !== 'ambedo') return envelope();
  if (event.request.status === 'pending') return undefined;
  return JSON.stringify(ambedoPause(event.request));
}

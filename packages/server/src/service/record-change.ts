import type { ApprovalRequest, RequestEvent, RequestEventType } from '@countersign/core/protocol';
import { CountersignError } from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import { enqueueNotifications } from '../notify/enqueue-notifications.js';
import type { DecisionChannel } from '../observability/decision-channel.js';
import { spanClock, traceChange } from '../observability/server-tracing.js';
import type { StoreTx } from '../store/store-types.js';
import { enqueueWebhooks } from '../webhooks/enqueue-webhooks.js';
import { attachReceipt } from './attach-receipt.js';
import type { ServiceContext } from './service-context.js';
import { settlePolicyPush } from './settle-policy-push.js';

/** One state change of a request. */
export interface Change {
  /** The request after the change (its version already increased, except on create). */
  request: ApprovalRequest;
  /** The stored version this change replaces; absent when the request is new. */
  previousVersion?: number;
  type: RequestEventType;
  actor?: string;
  data?: Record<string, unknown>;
  /** How a decision came in (the metrics' `channel` label); only for `decided`. */
  channel?: DecisionChannel;
}

/**
 * Writes a change, its event, its audit entry and its outbox rows in the caller's transaction, and
 * publishes the event to live listeners once that transaction commits.
 */
export async function recordChange(
  context: ServiceContext,
  tx: StoreTx,
  change: Change,
): Promise<RequestEvent> {
  const { request } = change;
  const startedAt = spanClock();
  await attachReceipt(context, tx, request);
  if (change.previousVersion === undefined) {
    await tx.insertRequest(request);
  } else if (!(await tx.updateRequest(request, change.previousVersion))) {
    throw new CountersignError('version_conflict', {
      message: `Request ${request.id} changed meanwhile; reload it and try again`,
      details: { requestId: request.id },
    });
  }
  const data = change.data ?? {};
  const event = await tx.appendEvent({
    requestId: request.id,
    seq: request.version,
    type: change.type,
    at: request.updatedAt,
    version: request.version,
    ...(change.actor === undefined ? {} : { actor: change.actor }),
    data,
    request,
  });
  await appendAudit(tx, {
    at: request.updatedAt,
    type: change.type,
    requestId: request.id,
    actor: change.actor ?? null,
    data: {
      version: request.version,
      status: request.status,
      ...(request.fingerprint ? { fingerprint: request.fingerprint } : {}),
      ...data,
    },
  });
  const queued =
    (await enqueueWebhooks(tx, event, context.clock.now())) +
    (await enqueueNotifications(context, tx, event));
  // A finished policy review activates (or rejects) its version in this same transaction.
  await settlePolicyPush(context, tx, request);
  tx.afterCommit(() => {
    const outcome = data.outcome as string | undefined;
    context.metrics?.changed(request, change.type, change.channel, outcome);
    traceChange({ request, type: change.type, channel: change.channel, outcome }, startedAt);
    context.bus.publish(event);
    // The scheduler re-arms its timer for what the change did to the request's jobs; the outbox
    // looks only when this change gave it rows (its poll finds the rows of other replicas).
    context.onWork?.(queued > 0 ? undefined : 'scheduler');
  });
  return event;
}

/** A copy of `request` one version further, stamped at `now`. */
export function nextVersion(request: ApprovalRequest, now: string): ApprovalRequest {
  return { ...request, version: request.version + 1, updatedAt: now };
}

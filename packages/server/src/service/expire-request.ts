import type { ApprovalRequest } from '@countersign/core/protocol';
import { isoTime } from '../clock.js';
import type { StoreTx } from '../store/store-types.js';
import { fail } from './failures.js';
import { nextVersion, recordChange } from './record-change.js';
import type { ServiceContext } from './service-context.js';

/** Whether a pending request's deadline has come at `now` (the scheduler fires at the same moment). */
export function isOverdue(request: ApprovalRequest, now: number): boolean {
  return (
    request.status === 'pending' &&
    request.deadline !== undefined &&
    Date.parse(request.deadline) <= now
  );
}

/**
 * Expires a pending request in the caller's transaction: the one path for the scheduler's deadline
 * job and for a change that arrives after the deadline but before that job ran. Never a rejection.
 */
export async function expireRequest(
  context: ServiceContext,
  tx: StoreTx,
  request: ApprovalRequest,
  deadline: string,
): Promise<ApprovalRequest> {
  const now = isoTime(context.clock.now());
  const next = nextVersion(request, now);
  next.status = 'expired';
  next.resolution = { status: 'expired', at: now, by: [] };
  await tx.clearJobs(request.id);
  await recordChange(context, tx, {
    request: next,
    previousVersion: request.version,
    type: 'expired',
    data: { deadline },
  });
  return next;
}

/**
 * Runs `change` on a visible request in one transaction, unless its deadline has passed: then the
 * request is expired (committed) and the change is refused with a 409 `already_decided`, so after
 * the deadline nothing but expiry can happen, whether or not the scheduler has run yet.
 */
export async function changeUnlessOverdue<T>(
  context: ServiceContext,
  load: (tx: StoreTx) => Promise<ApprovalRequest>,
  change: (tx: StoreTx, request: ApprovalRequest) => Promise<T>,
): Promise<T> {
  type Outcome = { changed: T; expired?: undefined } | { expired: ApprovalRequest };
  const outcome = await context.store.transaction(async (tx): Promise<Outcome> => {
    const request = await load(tx);
    if (!isOverdue(request, context.clock.now())) return { changed: await change(tx, request) };
    return { expired: await expireRequest(context, tx, request, request.deadline as string) };
  });
  if (outcome.expired === undefined) return outcome.changed;
  const { expired } = outcome;
  throw fail(
    'already_decided',
    `Request ${expired.id} expired at its deadline ${expired.deadline}`,
    {
      requestId: expired.id,
      status: expired.status,
      version: expired.version,
      deadline: expired.deadline,
    },
  );
}

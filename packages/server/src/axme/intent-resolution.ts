import type { ApprovalRequest, JsonObject } from '@countersign/core/protocol';
import type { Principal } from '../auth/principal.js';
import { isoTime } from '../clock.js';
import { cancelRequest } from '../service/change-request.js';
import { decideRequest } from '../service/decide-request.js';
import { fail } from '../service/failures.js';
import { nextVersion, recordChange } from '../service/record-change.js';
import { loadPending } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import { requestIdOrNotFound } from './axme-ids.js';
import type { ResolveIntentBody } from './axme-schemas.js';
import { isAddressee, loadIntent } from './intent-access.js';
import { isAgentIntent } from './intent-metadata.js';

/** A human's answer to a task, as the AXME routes give it. */
export interface HumanAnswer {
  approve: boolean;
  comment?: string | null | undefined;
  /** The `expected_policy_generation`, checked as our request version. */
  expectedVersion?: number | null | undefined;
}

/** Approves or rejects through the one decision path (authorization, quorum, rules, audit). */
export function decideHumanTask(
  context: ServiceContext,
  principal: Principal,
  intentId: string,
  answer: HumanAnswer,
): Promise<ApprovalRequest> {
  const comment = answer.comment?.trim() || undefined;
  const expected =
    answer.expectedVersion == null ? {} : { expectedVersion: answer.expectedVersion };
  return decideRequest(
    context,
    principal,
    requestIdOrNotFound(intentId),
    answer.approve
      ? { outcome: 'approve', ...(comment ? { comment } : {}), ...expected }
      : { outcome: 'reject', reason: comment ?? 'Rejected without a comment', ...expected },
    'api',
  );
}

/** Resolves an intent addressed to an agent: only that agent, the requester or an admin may. */
async function resolveAgentIntent(
  context: ServiceContext,
  principal: Principal,
  request: ApprovalRequest,
  body: ResolveIntentBody,
): Promise<ApprovalRequest> {
  if (
    principal.role !== 'admin' &&
    request.requester !== principal.id &&
    !isAddressee(principal, request)
  ) {
    throw fail('forbidden', `Only the addressee or the requester resolves intent ${request.id}`);
  }
  return context.store.transaction(async (tx) => {
    const current = loadPending((await tx.getRequest(request.id)) as ApprovalRequest);
    const now = isoTime(context.clock.now());
    const next = nextVersion(current, now);
    const reason = body.reason ?? undefined;
    const status =
      body.status === 'COMPLETED'
        ? 'answered'
        : body.status === 'FAILED'
          ? 'rejected'
          : 'cancelled';
    const response: JsonObject | undefined =
      body.status === 'COMPLETED'
        ? (body.result ?? {})
        : body.status === 'FAILED'
          ? (body.error ?? {})
          : undefined;
    next.status = status;
    next.resolution = {
      status,
      at: now,
      by: [principal.id],
      ...(reason ? { reason } : {}),
      ...(status === 'rejected' && !reason ? { reason: 'The agent reported a failure' } : {}),
      ...(response === undefined ? {} : { response }),
    };
    await tx.clearJobs(request.id);
    await recordChange(context, tx, {
      request: next,
      previousVersion: current.version,
      type: status === 'cancelled' ? 'cancelled' : 'decided',
      actor: principal.id,
      data: { axmeStatus: body.status, ...(reason ? { reason } : {}) },
    });
    return next;
  });
}

/**
 * `POST /v1/intents/{id}/resolve`: an agent intent is resolved by its addressee or requester; a
 * human task is cancelled by its requester, and completed (approved) or failed (rejected) only
 * by a reviewer who may decide it. A second terminal resolve is a 409.
 */
export async function resolveIntent(
  context: ServiceContext,
  principal: Principal,
  intentId: string,
  body: ResolveIntentBody,
): Promise<ApprovalRequest> {
  const request = await context.store.read((tx) => loadIntent(tx, principal, intentId));
  if (isAgentIntent(request)) return resolveAgentIntent(context, principal, request, body);
  if (body.status === 'CANCELED') {
    return cancelRequest(context, principal, request.id, { reason: body.reason as string });
  }
  const comment =
    body.status === 'COMPLETED'
      ? typeof body.result?.comment === 'string'
        ? body.result.comment
        : undefined
      : (body.reason ?? (typeof body.error?.message === 'string' ? body.error.message : undefined));
  return decideHumanTask(context, principal, intentId, {
    approve: body.status === 'COMPLETED',
    comment,
  });
}

import type { ApprovalRequest, RequestEventType } from '@countersign/core/protocol';
import { isoTime } from '../clock.js';
import type { Job, StoreTx } from '../store/store-types.js';
import { expireRequest } from './expire-request.js';
import { recordGrantExpiry } from './grants.js';
import { nextVersion, recordChange } from './record-change.js';
import type { ServiceContext } from './service-context.js';

/**
 * Applies one claimed job to its request inside the claiming transaction: deadline → expired
 * (never a rejection), reminder → a `reminded` event, escalation → assignees added or replaced.
 */
export async function applyJob(context: ServiceContext, tx: StoreTx, job: Job): Promise<void> {
  if (job.kind === 'grant-expiry') {
    await recordGrantExpiry(tx, job.requestId, isoTime(job.dueAt));
    return;
  }
  const request = await tx.getRequest(job.requestId);
  if (request?.status !== 'pending') return;
  if (job.kind === 'deadline') {
    await expireRequest(context, tx, request, request.deadline ?? isoTime(job.dueAt));
    return;
  }
  const now = isoTime(context.clock.now());
  const next = nextVersion(request, now);
  let type: RequestEventType;
  let data: Record<string, unknown>;
  if (job.kind === 'reminder') {
    const dueIso = isoTime(job.dueAt);
    next.reminders = request.reminders.filter((at) => at !== dueIso);
    type = 'reminded';
    data = { dueAt: dueIso, assignees: request.assignees };
  } else {
    const escalation = request.escalation;
    if (!escalation || escalation.fired) return;
    next.assignees = escalatedAssignees(request, escalation);
    next.escalation = { ...escalation, fired: true };
    type = 'escalated';
    data = { mode: escalation.mode, added: escalation.assignees, assignees: next.assignees };
  }
  await recordChange(context, tx, { request: next, previousVersion: request.version, type, data });
}

function escalatedAssignees(
  request: ApprovalRequest,
  escalation: NonNullable<ApprovalRequest['escalation']>,
): string[] {
  if (escalation.mode === 'replace') return [...new Set(escalation.assignees)];
  return [...new Set([...request.assignees, ...escalation.assignees])];
}

import {
  type ApprovalRequest,
  type CancelInput,
  parseDuration,
  type UpdateRequestInput,
  updateRequestBodySchema,
} from '@countersign/core/protocol';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { isoTime } from '../clock.js';
import type { StoreTx } from '../store/store-types.js';
import { changeUnlessOverdue } from './expire-request.js';
import { fail, requestNotFound } from './failures.js';
import { nextVersion, recordChange } from './record-change.js';
import { loadPending, loadVisible } from './request-access.js';
import type { ServiceContext } from './service-context.js';

type UpdateBody = z.output<typeof updateRequestBodySchema>;

function assertMayChange(principal: Principal, request: ApprovalRequest, what: string): void {
  if (principal.role !== 'admin' && request.requester !== principal.id) {
    throw fail('forbidden', `Only the requester or an admin can ${what} request ${request.id}`);
  }
}

/** Loads a request the principal may see and change; 404 when hidden, 403 when not theirs. */
function loadChangeable(principal: Principal, id: string, what: string) {
  return async (tx: StoreTx): Promise<ApprovalRequest> => {
    const visible = await loadVisible(tx, principal, id);
    if (!visible) throw requestNotFound(id);
    assertMayChange(principal, visible, what);
    return visible;
  };
}

/** Withdraws a pending request (the requester or an admin). Never a rejection. */
export async function cancelRequest(
  context: ServiceContext,
  principal: Principal,
  id: string,
  body: CancelInput,
): Promise<ApprovalRequest> {
  return changeUnlessOverdue(
    context,
    loadChangeable(principal, id, 'cancel'),
    async (tx, visible) => {
      const request = loadPending(visible, body.expectedVersion);
      const now = isoTime(context.clock.now());
      const next = nextVersion(request, now);
      next.status = 'cancelled';
      next.resolution = {
        status: 'cancelled',
        at: now,
        by: [principal.id],
        ...(body.reason ? { reason: body.reason } : {}),
      };
      await tx.clearJobs(id);
      await recordChange(context, tx, {
        request: next,
        previousVersion: request.version,
        type: 'cancelled',
        actor: principal.id,
        data: body.reason ? { reason: body.reason } : {},
      });
      return next;
    },
  );
}

/** Changes a pending request's deadline, assignees, reminders or escalation (optimistic). */
export async function updateRequest(
  context: ServiceContext,
  principal: Principal,
  id: string,
  input: UpdateRequestInput,
): Promise<ApprovalRequest> {
  const body: UpdateBody = updateRequestBodySchema.parse(input);
  return changeUnlessOverdue(
    context,
    loadChangeable(principal, id, 'change'),
    async (tx, visible) => {
      const request = loadPending(visible, body.expectedVersion);
      const nowMs = context.clock.now();
      const next = nextVersion(request, isoTime(nowMs));
      const changed: string[] = [];
      if (body.timeout !== undefined || body.deadline !== undefined) {
        const due =
          body.timeout !== undefined
            ? nowMs + (parseDuration(body.timeout) as number)
            : body.deadline === null
              ? undefined
              : Date.parse(body.deadline as string);
        if (due === undefined) delete next.deadline;
        else next.deadline = isoTime(due);
        const jobs =
          due === undefined ? [] : [{ requestId: id, kind: 'deadline' as const, dueAt: due }];
        await tx.replaceJobs(id, ['deadline'], jobs);
        changed.push('deadline');
      }
      if (body.assignees !== undefined) {
        next.assignees = [...new Set(body.assignees)];
        changed.push('assignees');
      }
      if (body.reminders !== undefined) {
        const times = body.reminders.map((at) => Date.parse(at)).sort((a, b) => a - b);
        next.reminders = times.map(isoTime);
        await tx.replaceJobs(
          id,
          ['reminder'],
          times.map((dueAt) => ({ requestId: id, kind: 'reminder' as const, dueAt })),
        );
        changed.push('reminders');
      }
      if (body.escalation !== undefined) {
        const escalation = body.escalation;
        if (escalation === null) delete next.escalation;
        else
          next.escalation = { ...escalation, at: isoTime(Date.parse(escalation.at)), fired: false };
        const jobs = escalation
          ? [{ requestId: id, kind: 'escalation' as const, dueAt: Date.parse(escalation.at) }]
          : [];
        await tx.replaceJobs(id, ['escalation'], jobs);
        changed.push('escalation');
      }
      await recordChange(context, tx, {
        request: next,
        previousVersion: request.version,
        type: 'updated',
        actor: principal.id,
        data: { changed },
      });
      return next;
    },
  );
}

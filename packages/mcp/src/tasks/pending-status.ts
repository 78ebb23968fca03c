import { type ApprovalRequest, approversOf } from '@countersign/core';

/** How long a finished task's result stays available after the request's deadline. */
export const TASK_RETENTION_MS = 60 * 60_000;
/** How often clients are asked to poll `tasks/get`. */
export const TASK_POLL_INTERVAL_MS = 1_000;

/**
 * The status message of a task waiting for a human: which request, who may decide (and how many
 * approvals are still missing) and until when.
 */
export function pendingStatusMessage(what: string, request: ApprovalRequest): string {
  const who = request.assignees.length > 0 ? request.assignees.join(', ') : 'any reviewer';
  const approvals = approversOf(request.decisions, request.fingerprint).length;
  const quorum = request.quorum > 1 ? `; ${approvals} of ${request.quorum} approvals so far` : '';
  const deadline = request.deadline ? `; deadline ${request.deadline}` : '; no deadline';
  return `Waiting for a human decision on ${what} (Countersign request ${request.id}); who may decide: ${who}${quorum}${deadline}.`;
}

/**
 * A task's TTL that follows the request's deadline: the time until the deadline, plus an hour
 * to fetch the result. Without a deadline, `fallback` (the client's own request, or unlimited).
 */
export function ttlForRequest(
  createdAt: string,
  request: ApprovalRequest,
  fallback: number | null,
): number | null {
  if (!request.deadline) return fallback;
  return Math.max(0, Date.parse(request.deadline) - Date.parse(createdAt)) + TASK_RETENTION_MS;
}

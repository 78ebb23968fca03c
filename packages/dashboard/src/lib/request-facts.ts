import type { ApprovalRequest, RequestKind, RequestStatus } from '@countersign/core/protocol';

/** Each status in words, so no status is told by colour alone. */
export const STATUS_LABEL: Record<RequestStatus, string> = {
  pending: 'Waiting for a decision',
  approved: 'Approved',
  rejected: 'Rejected',
  answered: 'Answered',
  expired: 'Expired (no decision in time)',
  cancelled: 'Cancelled by the requester',
};

/** What the reviewer is asked to do, per kind. */
export const KIND_LABEL: Record<RequestKind, string> = {
  approval: 'Approval',
  review: 'Review',
  form: 'Form to fill',
  clarification: 'Question',
};

/** `agent:billing-bot` → `billing-bot (agent)`. */
export function describePrincipal(principal: string): string {
  const colon = principal.indexOf(':');
  if (colon === -1) return principal;
  const kind = principal.slice(0, colon);
  const name = principal.slice(colon + 1);
  const word = kind === 'user' ? 'reviewer' : kind;
  return `${name} (${word})`;
}

/** The distinct principals whose decisions count towards the quorum. */
export function approvers(request: ApprovalRequest): string[] {
  const counted = request.decisions.filter((d) => d.outcome === 'approve' || d.outcome === 'edit');
  return [...new Set(counted.map((d) => d.principal))];
}

/** Quorum progress in words: `1 of 2 approvals`. */
export function quorumText(request: ApprovalRequest): string {
  const count = approvers(request).length;
  return `${count} of ${request.quorum} approval${request.quorum === 1 ? '' : 's'}`;
}

/** True when `principal` may still decide this request (pending, not theirs, not yet decided). */
export function canDecide(request: ApprovalRequest, principal: string): boolean {
  if (request.status !== 'pending') return false;
  if (request.requester === principal) return false;
  return !request.decisions.some((decision) => decision.principal === principal);
}

/** A remaining duration in words: `2 h 05 min`, `45 s`; `overdue` when none is left. */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'overdue';
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

/** A short one-line summary of the tool call: `send_email(to, subject)`. */
export function toolSummary(request: ApprovalRequest): string | undefined {
  if (!request.tool) return undefined;
  return `${request.tool.name}(${Object.keys(request.tool.args).join(', ')})`;
}

import { ApiError } from '../errors/index.js';
import { standingFingerprint } from '../fingerprint/index.js';
import { standingPreview } from '../preview/index.js';
import {
  type ApprovalRequest,
  approversOf,
  type Decision,
  type DecisionInput,
  type Resolution,
  standingArgs,
} from '../protocol/index.js';

const APPROVABLE = new Set(['approval', 'review']);

function refuse(code: 'forbidden' | 'unprocessable' | 'conflict', message: string): ApiError {
  const status = { forbidden: 403, unprocessable: 422, conflict: 409 }[code];
  return new ApiError(code, { message, status });
}

/**
 * Refuses what the server refuses: the requester deciding its own request, approving a request
 * answered with `respond`, editing one that is not about a tool call. (Roles and assignee groups are
 * the server's: the fake does not model them, nor JSON Schema checks of edited args or answers.)
 */
function checkDecision(request: ApprovalRequest, body: DecisionInput, principal: string): void {
  if (request.requester === principal) {
    throw refuse('forbidden', 'The requester cannot decide its own request');
  }
  if ((body.outcome === 'approve' || body.outcome === 'edit') && !APPROVABLE.has(request.kind)) {
    throw refuse('unprocessable', `A ${request.kind} request is answered with "respond"`);
  }
  if (body.outcome === 'edit' && !request.tool) {
    throw refuse('unprocessable', 'Only a request about a tool call can be edited');
  }
}

/** The resolution the decisions so far lead to, or `undefined` while the quorum is not met. */
function resolve(
  next: ApprovalRequest,
  original: string | undefined,
  decision: Decision,
): Resolution | undefined {
  const base = {
    at: decision.decidedAt,
    by: [decision.principal],
    ...(decision.comment === undefined ? {} : { comment: decision.comment }),
  };
  if (decision.outcome === 'reject') {
    return { ...base, status: 'rejected', reason: decision.reason ?? '' };
  }
  if (decision.outcome === 'respond') {
    return { ...base, status: 'answered', response: decision.response };
  }
  const approvers = approversOf(next.decisions, decision.fingerprint);
  if (approvers.length < next.quorum) return undefined;
  const resolution: Resolution = { ...base, status: 'approved', by: approvers };
  if (next.tool) {
    resolution.args = standingArgs(next) ?? {};
    resolution.fingerprint = decision.fingerprint as string;
    resolution.edited = decision.fingerprint !== original;
  }
  return resolution;
}

/**
 * Applies `principal`'s decision to a pending request in place, as the server does: the decision
 * is bound to the fingerprint of the arguments standing after it, an approver cannot approve the
 * same arguments twice, and the request resolves on a rejection, an answer or a met quorum.
 */
export function applyFakeDecision(
  request: ApprovalRequest,
  body: DecisionInput,
  principal: string,
  decidedAt: string,
  id: string,
): Decision {
  checkDecision(request, body, principal);
  const decision: Decision = { id, outcome: body.outcome, principal, decidedAt };
  if (body.reason !== undefined) decision.reason = body.reason;
  if (body.comment !== undefined) decision.comment = body.comment;
  if (body.outcome === 'edit' && body.args) decision.args = body.args;
  if (body.outcome === 'respond') decision.response = body.response;
  const before = standingFingerprint(request);
  if (body.outcome === 'approve' && approversOf(request.decisions, before).includes(principal)) {
    throw refuse('conflict', `${principal} already approved this request`);
  }
  request.decisions.push(decision);
  const preview = body.outcome === 'edit' ? standingPreview(request) : undefined;
  if (preview) request.preview = preview;
  const bound = standingFingerprint(request);
  if (bound !== undefined) decision.fingerprint = bound;
  const resolution = resolve(request, request.fingerprint, decision);
  if (resolution) {
    request.status = resolution.status;
    request.resolution = resolution;
  }
  return decision;
}

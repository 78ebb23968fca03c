import {
  type ApprovalRequest,
  type Decision,
  type DecisionInput,
  fingerprint,
  type JsonObject,
} from '@countersign/core/protocol';
import { isEligibleReviewer, type Principal } from '../auth/principal.js';
import { assertHumanTaskRules } from '../axme/human-task-rules.js';
import { isoTime } from '../clock.js';
import { newId } from '../ids.js';
import { fail, requestNotFound } from './failures.js';
import { assertMatchesSchema } from './json-schema-check.js';
import { nextVersion, recordChange } from './record-change.js';
import { loadPending, loadVisible } from './request-access.js';
import type { ServiceContext } from './service-context.js';

const APPROVABLE = new Set(['approval', 'review']);

/** The arguments that currently stand: the latest edit's, else the original. */
function currentArgs(request: ApprovalRequest): JsonObject | undefined {
  const edit = request.decisions.findLast((decision) => decision.outcome === 'edit');
  return edit?.args ?? request.tool?.args;
}

function currentFingerprint(request: ApprovalRequest): string | undefined {
  const args = currentArgs(request);
  return request.tool ? fingerprint(request.tool.name, args) : undefined;
}

/** Checks who may decide and what the decision may say; throws the fitting 4xx otherwise. */
function checkDecision(principal: Principal, request: ApprovalRequest, body: DecisionInput) {
  if (principal.role === 'agent') throw fail('forbidden', 'Agents cannot decide requests');
  if (!isEligibleReviewer(principal, request)) {
    throw fail('forbidden', `${principal.id} is not an assignee of request ${request.id}`);
  }
  if (request.requester === principal.id) {
    throw fail('forbidden', 'The requester cannot decide its own request');
  }
  assertHumanTaskRules(request, body);
  const { outcome } = body;
  if ((outcome === 'approve' || outcome === 'edit') && !APPROVABLE.has(request.kind)) {
    throw fail('unprocessable', `A ${request.kind} request is answered with "respond"`);
  }
  // Any request may be answered: for a tool call, the human's answer replaces running the tool.
  if (outcome === 'edit') {
    if (!request.tool)
      throw fail('unprocessable', 'Only a request about a tool call can be edited');
    if (request.tool.schema) assertMatchesSchema(request.tool.schema, body.args, 'edited args');
  }
  if (outcome === 'respond' && request.kind === 'form' && request.responseSchema) {
    assertMatchesSchema(request.responseSchema, body.response, 'response');
  }
}

/** Applies a decision; the request resolves when the quorum is met, a rejection, or an answer. */
function applyDecision(
  principal: Principal,
  request: ApprovalRequest,
  body: DecisionInput,
  now: string,
): ApprovalRequest {
  const decision: Decision = {
    id: newId('dec'),
    outcome: body.outcome,
    principal: principal.id,
    decidedAt: now,
  };
  if (body.reason !== undefined) decision.reason = body.reason;
  if (body.comment !== undefined) decision.comment = body.comment;
  if (body.outcome === 'edit' && body.args) decision.args = body.args;
  if (body.outcome === 'respond') decision.response = body.response;
  const before = currentFingerprint(request);
  const next = nextVersion(request, now);
  next.decisions = [...request.decisions, decision];
  const bound = currentFingerprint(next);
  if (bound !== undefined) decision.fingerprint = bound;
  if (body.outcome === 'approve' || body.outcome === 'edit') {
    const already = request.decisions.some(
      (d) =>
        d.principal === principal.id &&
        (d.outcome === 'approve' || d.outcome === 'edit') &&
        d.fingerprint === before,
    );
    if (already && body.outcome === 'approve') {
      throw fail('conflict', `${principal.id} already approved this request`);
    }
  }
  return resolveIfDone(next, body, decision, now);
}

function resolveIfDone(
  next: ApprovalRequest,
  body: DecisionInput,
  decision: Decision,
  now: string,
): ApprovalRequest {
  const withComment = body.comment === undefined ? {} : { comment: body.comment };
  if (body.outcome === 'reject') {
    next.status = 'rejected';
    next.resolution = {
      status: 'rejected',
      at: now,
      by: [decision.principal],
      reason: body.reason as string,
      ...withComment,
    };
  } else if (body.outcome === 'respond') {
    next.status = 'answered';
    next.resolution = {
      status: 'answered',
      at: now,
      by: [decision.principal],
      response: body.response,
      ...withComment,
    };
  } else {
    const approvers = [
      ...new Set(
        next.decisions
          .filter(
            (d) =>
              (d.outcome === 'approve' || d.outcome === 'edit') &&
              d.fingerprint === decision.fingerprint,
          )
          .map((d) => d.principal),
      ),
    ];
    if (approvers.length >= next.quorum) {
      next.status = 'approved';
      next.resolution = { status: 'approved', at: now, by: approvers, ...withComment };
      if (next.tool) {
        next.resolution.args = currentArgs(next) ?? {};
        next.resolution.fingerprint = decision.fingerprint as string;
        next.resolution.edited = decision.fingerprint !== next.fingerprint;
      }
    }
  }
  return next;
}

/** Records a reviewer's decision on a pending request. */
export async function decideRequest(
  context: ServiceContext,
  principal: Principal,
  id: string,
  body: DecisionInput,
): Promise<ApprovalRequest> {
  return context.store.transaction(async (tx) => {
    const visible = await loadVisible(tx, principal, id);
    if (!visible) throw requestNotFound(id);
    const request = loadPending(visible, body.expectedVersion);
    checkDecision(principal, request, body);
    const next = applyDecision(principal, request, body, isoTime(context.clock.now()));
    if (next.status !== 'pending') await tx.clearJobs(id);
    const decision = next.decisions.at(-1) as Decision;
    await recordChange(context, tx, {
      request: next,
      previousVersion: request.version,
      type: 'decided',
      actor: principal.id,
      data: {
        decisionId: decision.id,
        outcome: decision.outcome,
        ...(decision.reason ? { reason: decision.reason } : {}),
        ...(decision.comment ? { comment: decision.comment } : {}),
        ...(decision.fingerprint ? { decisionFingerprint: decision.fingerprint } : {}),
      },
    });
    return next;
  });
}

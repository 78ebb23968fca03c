import { standingPreview } from '@countersign/core';
import { standingFingerprint } from '@countersign/core/fingerprint';
import {
  type ApprovalRequest,
  approversOf,
  type Decision,
  type DecisionInput,
  type JsonObject,
  standingArgs,
} from '@countersign/core/protocol';
import { isEligibleReviewer, type Principal } from '../auth/principal.js';
import { assertHumanTaskRules } from '../axme/human-task-rules.js';
import { isoTime } from '../clock.js';
import { newId } from '../ids.js';
import type { DecisionChannel } from '../observability/decision-channel.js';
import type { GrantRecord, StoreTx } from '../store/store-types.js';
import { assertEditWithinPolicy } from './edit-policy-check.js';
import { changeUnlessOverdue, isOverdue } from './expire-request.js';
import { fail, requestNotFound } from './failures.js';
import { grantFromDecision, saveDecisionGrant } from './new-grant.js';
import { nextVersion, recordChange } from './record-change.js';
import { loadPending, loadVisible } from './request-access.js';
import { schemaCheckerOf } from './schema-checker.js';
import type { ServiceContext } from './service-context.js';

const APPROVABLE = new Set(['approval', 'review']);

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
    if (!request.tool) {
      throw fail('unprocessable', 'Only a request about a tool call can be edited');
    }
    assertEditWithinPolicy(principal, request, body.args as JsonObject);
  }
}

/**
 * Checks edited args and form answers against the request's JSON Schemas, off the event loop.
 * Runs before the decision's transaction: a request's schemas never change after create.
 */
async function checkAgainstSchemas(
  context: ServiceContext,
  request: ApprovalRequest,
  body: DecisionInput,
): Promise<void> {
  const schemas = schemaCheckerOf(context);
  if (body.outcome === 'edit' && request.tool?.schema) {
    await schemas.assertMatches(request.tool.schema, body.args, 'edited args');
  }
  if (body.outcome === 'respond' && request.kind === 'form' && request.responseSchema) {
    await schemas.assertMatches(request.responseSchema, body.response, 'response');
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
  const before = standingFingerprint(request);
  const next = nextVersion(request, now);
  next.decisions = [...request.decisions, decision];
  // Edited arguments are what will run now: the preview shows them, not the agent's.
  const preview = body.outcome === 'edit' ? standingPreview(next) : undefined;
  if (preview) next.preview = preview;
  const bound = standingFingerprint(next);
  if (bound !== undefined) decision.fingerprint = bound;
  if (body.outcome === 'approve' && approversOf(request.decisions, before).includes(principal.id)) {
    throw fail('conflict', `${principal.id} already approved this request`);
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
    const approvers = approversOf(next.decisions, decision.fingerprint);
    if (approvers.length >= next.quorum) {
      next.status = 'approved';
      next.resolution = { status: 'approved', at: now, by: approvers, ...withComment };
      if (next.tool) {
        next.resolution.args = standingArgs(next) ?? {};
        next.resolution.fingerprint = decision.fingerprint as string;
        next.resolution.edited = decision.fingerprint !== next.fingerprint;
      }
    }
  }
  return next;
}

/**
 * Records a reviewer's decision on a pending request. `channel` says how it came in (`api`,
 * `dashboard`, `cli`, `slack`, `email_link`, `grant`; see `DECISION_CHANNELS`): it labels the
 * decision's metrics and span, never what is allowed. HTTP routes take it from
 * `httpDecisionChannel`; a channel that authenticates on its own passes its name.
 */
export async function decideRequest(
  context: ServiceContext,
  principal: Principal,
  id: string,
  body: DecisionInput,
  channel: DecisionChannel,
): Promise<ApprovalRequest> {
  const load = async (tx: StoreTx) => {
    const visible = await loadVisible(tx, principal, id);
    if (!visible) throw requestNotFound(id);
    return visible;
  };
  let grant: { record: GrantRecord; version: number } | undefined;
  // Edited args, answers and grants are prepared from the request before its transaction (schemas
  // are checked off the event loop); a plain approve or reject needs only the checks inside it.
  if (body.outcome === 'edit' || body.outcome === 'respond' || body.grant) {
    // Checked here and again in the transaction: what it saw is never the answer.
    const before = await context.store.read(load, { unsynced: true });
    if (before.status === 'pending' && !isOverdue(before, context.clock.now())) {
      loadPending(before, body.expectedVersion);
      checkDecision(principal, before, body);
      await checkAgainstSchemas(context, before, body);
      if (body.grant) {
        const record = grantFromDecision(context, principal, before, body.grant);
        grant = { record, version: before.version };
      }
    }
  }
  return changeUnlessOverdue(context, load, async (tx, visible) => {
    // A grant is made from the arguments it saw: an edit since then would have it grant others.
    const request = loadPending(visible, grant?.version ?? body.expectedVersion);
    checkDecision(principal, request, body);
    const next = applyDecision(principal, request, body, isoTime(context.clock.now()));
    if (next.status !== 'pending') await tx.clearJobs(id);
    const decision = next.decisions.at(-1) as Decision;
    if (grant) {
      decision.addedGrant = grant.record.id;
      await saveDecisionGrant(context, tx, grant.record);
    }
    await recordChange(context, tx, {
      request: next,
      previousVersion: request.version,
      type: 'decided',
      actor: principal.id,
      channel,
      data: {
        decisionId: decision.id,
        outcome: decision.outcome,
        ...(decision.reason ? { reason: decision.reason } : {}),
        ...(decision.comment ? { comment: decision.comment } : {}),
        ...(decision.fingerprint ? { decisionFingerprint: decision.fingerprint } : {}),
        ...(grant ? { addedGrant: grant.record.id } : {}),
      },
    });
    return next;
  });
}

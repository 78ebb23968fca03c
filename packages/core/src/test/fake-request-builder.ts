import { ApiError } from '../errors/index.js';
import { fingerprint } from '../fingerprint/index.js';
import {
  type ApprovalRequest,
  type CreateRequestBody,
  type CreateRequestInput,
  createRequestBodySchema,
  type Decision,
  type DecisionInput,
  decisionBodySchema,
  parseDuration,
  type Resolution,
} from '../protocol/index.js';

/** Parses `input` with `schema`-like `safeParse`, turning failures into a 400 `validation_failed`. */
export function parseOrReject<T>(
  result: { success: true; data: T } | { success: false; error: { issues: unknown[] } },
  what: string,
): T {
  if (result.success) return result.data;
  throw new ApiError('validation_failed', {
    message: `Invalid ${what}`,
    status: 400,
    details: { issues: result.error.issues },
  });
}

/** Validates a create body the way the server does. */
export function parseCreateBody(input: CreateRequestInput): CreateRequestBody {
  return parseOrReject(createRequestBodySchema.safeParse(input), 'create body');
}

/** Validates a decision body the way the server does. */
export function parseDecisionBody(
  input: DecisionInput,
): ReturnType<typeof decisionBodySchema.parse> {
  return parseOrReject(decisionBodySchema.safeParse(input), 'decision body');
}

/** Builds a new pending request from a validated create body. */
export function buildRequest(
  id: string,
  body: CreateRequestBody,
  requester: string,
  nowMs: number,
): ApprovalRequest {
  const now = new Date(nowMs).toISOString();
  const timeoutMs = body.timeout === undefined ? undefined : parseDuration(body.timeout);
  const request: ApprovalRequest = {
    id,
    kind: body.kind,
    status: 'pending',
    version: 1,
    action: body.action,
    context: body.context ?? {},
    assignees: body.assignees ?? [],
    quorum: body.quorum,
    requester,
    createdAt: now,
    updatedAt: now,
    reminders: [],
    decisions: [],
    links: {
      self: `/v1/requests/${id}`,
      wait: `/v1/requests/${id}/wait`,
      events: `/v1/requests/${id}/events`,
    },
  };
  if (body.question !== undefined) request.question = body.question;
  if (body.tool !== undefined) {
    request.tool = body.tool;
    request.fingerprint = fingerprint(body.tool.name, body.tool.args);
  }
  if (body.responseSchema !== undefined) request.responseSchema = body.responseSchema;
  if (body.callbackUrl !== undefined) request.callbackUrl = body.callbackUrl;
  if (body.runId !== undefined) request.runId = body.runId;
  if (body.toolCallId !== undefined) request.toolCallId = body.toolCallId;
  if (body.metadata !== undefined) request.metadata = body.metadata;
  if (body.policy !== undefined) request.policy = body.policy;
  if (timeoutMs !== undefined) request.deadline = new Date(nowMs + timeoutMs).toISOString();
  return request;
}

/** The decision record for `body`, bound to the fingerprint of what it approves. */
export function buildDecision(
  request: ApprovalRequest,
  body: DecisionInput,
  principal: string,
  nowMs: number,
): Decision {
  if (body.outcome === 'edit' && request.tool === undefined) {
    throw new ApiError('unprocessable', {
      message: 'Only a request about a tool call can be edited',
      status: 422,
    });
  }
  const decision: Decision = {
    id: `dec_${request.id}_${request.decisions.length + 1}`,
    outcome: body.outcome,
    principal,
    decidedAt: new Date(nowMs).toISOString(),
  };
  if (body.reason !== undefined) decision.reason = body.reason;
  if (body.comment !== undefined) decision.comment = body.comment;
  if (body.args !== undefined) decision.args = body.args;
  if (body.response !== undefined) decision.response = body.response;
  if (request.tool !== undefined) {
    decision.fingerprint =
      body.outcome === 'edit' && body.args
        ? fingerprint(request.tool.name, body.args)
        : request.fingerprint;
  }
  return decision;
}

/**
 * The resolution `decision` leads to, or `undefined` while an approval quorum is not reached yet.
 * A rejection rejects at once; approvals need `quorum` distinct principals.
 */
export function resolveDecision(
  request: ApprovalRequest,
  decision: Decision,
): Resolution | undefined {
  const base = { at: decision.decidedAt, by: [decision.principal] };
  const extras = {
    ...(decision.comment === undefined ? {} : { comment: decision.comment }),
  };
  switch (decision.outcome) {
    case 'reject':
      return { ...base, ...extras, status: 'rejected', reason: decision.reason ?? '' };
    case 'respond':
      return { ...base, ...extras, status: 'answered', response: decision.response };
    default: {
      const approvers = new Set(
        request.decisions
          .filter((each) => each.outcome === 'approve' || each.outcome === 'edit')
          .map((each) => each.principal),
      );
      if (approvers.size < request.quorum) return undefined;
      const edited = decision.outcome === 'edit';
      const args = edited ? decision.args : request.tool?.args;
      const resolution: Resolution = {
        ...extras,
        status: 'approved',
        at: base.at,
        by: [...approvers],
      };
      if (request.tool !== undefined && args !== undefined) {
        resolution.args = args;
        resolution.fingerprint = fingerprint(request.tool.name, args);
        resolution.edited = edited;
      }
      return resolution;
    }
  }
}

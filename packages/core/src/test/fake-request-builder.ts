import { ApiError } from '../errors/index.js';
import { fingerprint } from '../fingerprint/index.js';
import { standingPreview } from '../preview/index.js';
import {
  type ApprovalRequest,
  type CreateRequestBody,
  type CreateRequestInput,
  createRequestBodySchema,
  type DecisionInput,
  decisionBodySchema,
  parseDuration,
  type updateRequestBodySchema,
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
  const later = (duration: string) =>
    new Date(nowMs + (parseDuration(duration) as number)).toISOString();
  const request: ApprovalRequest = {
    id,
    kind: body.kind,
    status: 'pending',
    version: 1,
    action: body.action,
    context: body.context ?? {},
    assignees: [...new Set(body.assignees ?? [])],
    quorum: body.quorum,
    requester,
    createdAt: now,
    updatedAt: now,
    reminders: (body.reminders ?? []).map(later).sort(),
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
    const preview = standingPreview(request);
    if (preview) request.preview = preview;
  }
  if (body.responseSchema !== undefined) request.responseSchema = body.responseSchema;
  if (body.callbackUrl !== undefined) request.callbackUrl = body.callbackUrl;
  if (body.runId !== undefined) request.runId = body.runId;
  if (body.toolCallId !== undefined) request.toolCallId = body.toolCallId;
  if (body.metadata !== undefined) request.metadata = body.metadata;
  if (body.policy !== undefined) request.policy = body.policy;
  if (body.timeout !== undefined) request.deadline = later(body.timeout);
  if (body.escalation !== undefined) {
    const { after, assignees, mode } = body.escalation;
    request.escalation = { at: later(after), assignees, mode, fired: false };
  }
  return request;
}

const iso = (at: string) => new Date(Date.parse(at)).toISOString();

/**
 * Applies a validated update body to a pending request in place, normalising times and removing
 * duplicate assignees as the server does; returns the names of what changed.
 */
export function applyUpdate(
  request: ApprovalRequest,
  body: ReturnType<typeof updateRequestBodySchema.parse>,
  nowMs: number,
): string[] {
  const changed: string[] = [];
  if (body.timeout !== undefined) {
    request.deadline = new Date(nowMs + (parseDuration(body.timeout) as number)).toISOString();
  } else if (body.deadline === null) delete request.deadline;
  else if (body.deadline !== undefined) request.deadline = iso(body.deadline);
  if (body.timeout !== undefined || body.deadline !== undefined) changed.push('deadline');
  if (body.assignees !== undefined) {
    request.assignees = [...new Set(body.assignees)];
    changed.push('assignees');
  }
  if (body.reminders !== undefined) {
    request.reminders = body.reminders.map(iso).sort();
    changed.push('reminders');
  }
  if (body.escalation === null) delete request.escalation;
  else if (body.escalation !== undefined) {
    request.escalation = { ...body.escalation, at: iso(body.escalation.at), fired: false };
  }
  if (body.escalation !== undefined) changed.push('escalation');
  return changed;
}

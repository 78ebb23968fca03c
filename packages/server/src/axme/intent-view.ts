import type { ApprovalRequest } from '@countersign/core/protocol';
import { intentIdFor } from './axme-ids.js';
import { axmeMetadataOf, isAgentIntent } from './intent-metadata.js';

/** The AXME intent statuses Countersign uses (it never reports the delivery-only ones). */
export type IntentStatus =
  | 'CREATED'
  | 'WAITING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELED'
  | 'TIMED_OUT';

/** What a pending intent waits for. */
export type WaitingReason = 'WAITING_FOR_HUMAN' | 'WAITING_FOR_AGENT';

const STATUS: Record<ApprovalRequest['status'], IntentStatus> = {
  pending: 'WAITING',
  approved: 'COMPLETED',
  answered: 'COMPLETED',
  // A human's rejection (or an agent's failure) is FAILED: never COMPLETED, never TIMED_OUT.
  rejected: 'FAILED',
  expired: 'TIMED_OUT',
  cancelled: 'CANCELED',
};

/** The AXME status of a request. */
export function intentStatusOf(request: ApprovalRequest): IntentStatus {
  return STATUS[request.status];
}

/** What a pending request waits for. */
export function waitingReasonOf(request: ApprovalRequest): WaitingReason {
  return isAgentIntent(request) ? 'WAITING_FOR_AGENT' : 'WAITING_FOR_HUMAN';
}

/** The intent id of a request (every request created by this server has one). */
export function intentIdOf(request: ApprovalRequest): string {
  return intentIdFor(request.id) as string;
}

/** The outcome of a terminal request, as AXME `result` (completed) or `error` (failed). */
export function outcomeOf(request: ApprovalRequest): {
  result?: Record<string, unknown>;
  error?: Record<string, unknown>;
} {
  const resolution = request.resolution;
  if (!resolution) return {};
  const common = {
    decided_by: resolution.by,
    ...(resolution.comment ? { comment: resolution.comment } : {}),
  };
  if (isAgentIntent(request)) {
    const value = resolution.response;
    const object = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    if (request.status === 'answered') return { result: object };
    if (request.status === 'rejected') return { error: object };
  }
  switch (request.status) {
    case 'approved':
      return { result: { outcome: 'approved', ...common } };
    case 'answered':
      return { result: { outcome: 'answered', data: resolution.response ?? null, ...common } };
    case 'rejected':
      return {
        error: {
          code: 'rejected',
          outcome: 'rejected',
          reason: resolution.reason ?? '',
          ...common,
        },
      };
    case 'expired':
      return { error: { code: 'timed_out', deadline: request.deadline ?? null } };
    case 'cancelled':
      return { error: { code: 'canceled', reason: resolution.reason ?? '' } };
    default:
      return {};
  }
}

function humanTaskOf(request: ApprovalRequest): Record<string, unknown> | undefined {
  const axme = axmeMetadataOf(request);
  if (axme && !axme.humanTask) return undefined;
  const task = axme?.humanTask;
  return {
    title: task?.title ?? request.action,
    task_type: task?.taskType ?? (request.kind === 'form' ? 'provide_data' : request.kind),
    ...((task?.description ?? request.question)
      ? { description: task?.description ?? request.question }
      : {}),
    ...(task?.allowedOutcomes ? { allowed_outcomes: task.allowedOutcomes } : {}),
    required_comment: task?.requiredComment ?? false,
    assignees: request.assignees,
    ...(request.responseSchema ? { form_schema: request.responseSchema } : {}),
  };
}

/** The `intent` object of `GET /v1/intents/{id}` (AXME `api.intents.get.response.v1`). */
export function intentView(
  request: ApprovalRequest,
  remindCount?: number,
): Record<string, unknown> {
  const axme = axmeMetadataOf(request);
  const intentId = intentIdOf(request);
  const status = intentStatusOf(request);
  const task = humanTaskOf(request);
  return {
    intent_id: intentId,
    status,
    ...(status === 'WAITING' ? { waiting_reason: waitingReasonOf(request) } : {}),
    created_at: request.createdAt,
    updated_at: request.updatedAt,
    intent_type: axme?.intentType ?? `countersign.${request.kind}.v1`,
    correlation_id: axme?.correlationId ?? intentId,
    from_agent: request.requester,
    to_agent: axme?.toAgent ?? 'countersign',
    ...(axme?.replyTo ? { reply_to: axme.replyTo } : {}),
    payload: request.context,
    ...(request.deadline ? { deadline_at: request.deadline } : {}),
    ...(axme?.remindAfterSeconds ? { remind_after_seconds: axme.remindAfterSeconds } : {}),
    ...(axme?.remindIntervalSeconds ? { remind_interval_seconds: axme.remindIntervalSeconds } : {}),
    ...(axme?.maxReminders ? { max_reminders: axme.maxReminders } : {}),
    ...(remindCount === undefined ? {} : { remind_count: remindCount }),
    ...(axme?.escalateTo ? { escalate_to: axme.escalateTo } : {}),
    ...(task ? { human_task: task } : {}),
    ...(status === 'WAITING'
      ? {
          pending_with: task
            ? { type: 'human', ref: request.assignees.join(',') || 'any reviewer' }
            : { type: 'agent', ref: axme?.toAgent ?? '' },
        }
      : {}),
    policy_generation: request.version,
    countersign_request_id: request.id,
    ...outcomeOf(request),
  };
}

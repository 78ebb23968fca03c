import {
  type CreateRequestBody,
  createRequestBodySchema,
  type RequestKind,
} from '@countersign/core/protocol';
import { fail } from '../service/failures.js';
import type { CreateIntentBody, HumanTask } from './axme-schemas.js';
import { type AxmeMetadata, toMetadata } from './intent-metadata.js';

const KIND_OF_TASK: Partial<Record<NonNullable<HumanTask['task_type']>, RequestKind>> = {
  review: 'review',
  clarification: 'clarification',
  provide_data: 'form',
};

/** An AXME assignee (an email, a member id, or already `user:`/`group:`) as a Countersign one. */
export function assigneeFor(value: string): string {
  return /^(user|group):/.test(value) ? value : `user:${value}`;
}

function kindOf(task: HumanTask): RequestKind {
  if (task.task_type === 'attach_file') {
    throw fail(
      'unprocessable',
      'attach_file tasks are not supported: Countersign stores no files',
      {
        task_type: task.task_type,
      },
    );
  }
  if (task.form_schema) return 'form';
  return KIND_OF_TASK[task.task_type ?? 'approval'] ?? 'approval';
}

/** Reminder times (seconds from now) and the escalation time after the last one. */
export function reminderPlan(settings: {
  remind_after_seconds?: number | undefined;
  remind_interval_seconds?: number | undefined;
  max_reminders?: number | undefined;
}): { reminders: number[]; escalateAfter?: number } {
  const first = settings.remind_after_seconds;
  if (first === undefined) return { reminders: [] };
  const interval = settings.remind_interval_seconds ?? first;
  const count = settings.max_reminders ?? (settings.remind_interval_seconds ? 10 : 1);
  const reminders = Array.from({ length: count }, (_, index) => first + index * interval);
  return { reminders, escalateAfter: (reminders.at(-1) as number) + interval };
}

function timeoutUntil(deadline: string, now: number): string {
  const ms = Date.parse(deadline) - now;
  if (!(ms > 0)) {
    throw fail('validation_failed', 'deadline_at must be in the future', { deadline_at: deadline });
  }
  return `${ms}ms`;
}

/**
 * Maps an AXME create onto a Countersign create: the human task picks the kind, assignees and
 * escalation go through our assignee model, reminders and the deadline through our scheduler, and
 * what the request model has no field for goes to `metadata.axme`.
 */
export function requestBodyFor(intent: CreateIntentBody, now: number): CreateRequestBody {
  const task = intent.human_task;
  const plan = reminderPlan(intent);
  if (intent.escalate_to !== undefined && plan.escalateAfter === undefined) {
    throw fail(
      'validation_failed',
      'escalate_to needs remind_after_seconds (it fires after the last reminder)',
    );
  }
  const metadata: AxmeMetadata = {
    intentType: intent.intent_type,
    toAgent: intent.to_agent,
    ...(intent.correlation_id ? { correlationId: intent.correlation_id } : {}),
    ...(intent.reply_to ? { replyTo: intent.reply_to } : {}),
    ...(intent.deadline_at ? { deadlineAt: intent.deadline_at } : {}),
    ...(intent.remind_after_seconds ? { remindAfterSeconds: intent.remind_after_seconds } : {}),
    ...(intent.remind_interval_seconds
      ? { remindIntervalSeconds: intent.remind_interval_seconds }
      : {}),
    ...(intent.max_reminders ? { maxReminders: intent.max_reminders } : {}),
    ...(intent.escalate_to ? { escalateTo: intent.escalate_to } : {}),
  };
  const title = task?.title?.trim() || intent.intent_type;
  const assignees = [
    ...(task?.assignees ?? []),
    ...(task?.notify_email && !task.assignees?.includes(task.notify_email)
      ? [task.notify_email]
      : []),
  ];
  if (task) {
    metadata.humanTask = {
      title,
      taskType: task.task_type ?? 'approval',
      requiredComment: task.required_comment ?? false,
      ...(task.description ? { description: task.description } : {}),
      ...(task.allowed_outcomes ? { allowedOutcomes: task.allowed_outcomes } : {}),
      ...(assignees.length > 0 ? { assignees } : {}),
    };
  }
  const kind: RequestKind = task ? kindOf(task) : 'clarification';
  return createRequestBodySchema.parse({
    action: title,
    kind,
    context: intent.payload,
    ...(task?.description ? { question: task.description } : {}),
    ...(kind === 'form' ? { responseSchema: task?.form_schema ?? { type: 'object' } } : {}),
    ...(assignees.length > 0 ? { assignees: assignees.map(assigneeFor) } : {}),
    ...(intent.deadline_at ? { timeout: timeoutUntil(intent.deadline_at, now) } : {}),
    ...(plan.reminders.length > 0 ? { reminders: plan.reminders.map((s) => `${s}s`) } : {}),
    ...(intent.escalate_to
      ? {
          escalation: {
            after: `${plan.escalateAfter}s`,
            assignees: [assigneeFor(intent.escalate_to)],
          },
        }
      : {}),
    metadata: toMetadata(metadata),
  });
}

import { createHash, randomUUID } from 'node:crypto';
import type { ApprovalService } from '../client/client-types.js';
import { CountersignClient } from '../client/countersign-client.js';
import { CountersignError } from '../errors/index.js';
import {
  type ApprovalRequest,
  type CreateRequestInput,
  createRequestBodySchema,
  formatDuration,
  type JsonObject,
  parseDuration,
} from '../protocol/index.js';

/** What the human is asked for. */
export type HumanTask = 'approval' | 'review' | 'clarification' | 'form';

/** Options for {@link waitForHuman}. */
export interface WaitForHumanOptions {
  /** What the human is asked for: approve or reject, review, answer a question, or fill a form. */
  task: HumanTask;
  /**
   * A stable id for this wait, e.g. `"invoice-42-approval"`. The Idempotency-Key is derived from
   * it, so a restarted process calling again with the same id and options re-attaches to the same
   * request instead of asking twice. Without it every call asks anew.
   */
  id?: string;
  /** The one-line title the reviewer sees (default: `"<task> requested"`). */
  title?: string;
  /** The longer text or question shown under the title. */
  description?: string;
  /** Who may answer: `user:NAME`, `group:NAME`, or a bare name (taken as `user:NAME`). */
  assignees?: readonly string[];
  /** One assignee; shorthand for `assignees: [assignee]`. */
  assignee?: string;
  /** How long to wait, e.g. `"30m"` or `"48h"`; afterwards the outcome is `expired`. */
  timeout: string;
  /** Who is added when nobody answered by `escalateAfter` (same forms as `assignees`). */
  escalateTo?: string | readonly string[];
  /** When to escalate, as a duration (default: half of `timeout`). */
  escalateAfter?: string;
  /** Reminder offsets from now, e.g. `["10m", "20m"]`. */
  reminders?: readonly string[];
  /** The JSON Schema of the answer, for `task: "form"` (default `{ type: "object" }`). */
  form?: JsonObject;
  /** Anything the reviewer should see (shown as the request context). */
  context?: JsonObject;
  /** Stops waiting (the call rejects with an `aborted` error; the request stays open). */
  signal?: AbortSignal;
  /** The approval service (default: a `CountersignClient` from `COUNTERSIGN_URL`/`_API_KEY`). */
  service?: ApprovalService;
}

/** How the human answered; a timeout or cancellation is never a rejection. */
export type HumanOutcome =
  | { outcome: 'approved'; by: string[]; comment?: string; request: ApprovalRequest }
  | { outcome: 'rejected'; by: string[]; reason: string; request: ApprovalRequest }
  | { outcome: 'answered'; by: string[]; data: unknown; request: ApprovalRequest }
  | { outcome: 'expired'; request: ApprovalRequest }
  | { outcome: 'cancelled'; reason?: string; request: ApprovalRequest };

function assignee(value: string): string {
  return /^(user|group):/.test(value) ? value : `user:${value}`;
}

function invalid(message: string): CountersignError {
  return new CountersignError('validation_failed', { message: `waitForHuman: ${message}` });
}

/** Builds the create body; bad options throw before anything is sent. */
function requestBody(options: WaitForHumanOptions): CreateRequestInput {
  const timeoutMs = parseDuration(options.timeout ?? '');
  if (timeoutMs === undefined) throw invalid(`timeout "${options.timeout}" is not a duration`);
  const assignees = [
    ...(options.assignees ?? []),
    ...(options.assignee === undefined ? [] : [options.assignee]),
  ].map(assignee);
  const escalateTo =
    options.escalateTo === undefined
      ? []
      : (typeof options.escalateTo === 'string' ? [options.escalateTo] : options.escalateTo).map(
          assignee,
        );
  const body = {
    action: options.title ?? `${options.task} requested`,
    kind: options.task,
    ...(options.description ? { question: options.description } : {}),
    ...(options.context ? { context: options.context } : {}),
    ...(options.task === 'form' ? { responseSchema: options.form ?? { type: 'object' } } : {}),
    ...(assignees.length > 0 ? { assignees } : {}),
    timeout: options.timeout,
    ...(options.reminders ? { reminders: [...options.reminders] } : {}),
    ...(escalateTo.length > 0
      ? {
          escalation: {
            after: options.escalateAfter ?? formatDuration(Math.max(1, Math.floor(timeoutMs / 2))),
            assignees: escalateTo,
          },
        }
      : {}),
  };
  const parsed = createRequestBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`${issue?.path.join('.') || 'options'}: ${issue?.message ?? 'invalid'}`);
  }
  return body as CreateRequestInput;
}

function outcomeOf(request: ApprovalRequest): HumanOutcome {
  const resolution = request.resolution;
  const by = resolution?.by ?? [];
  switch (request.status) {
    case 'approved':
      return {
        outcome: 'approved',
        by,
        ...(resolution?.comment ? { comment: resolution.comment } : {}),
        request,
      };
    case 'rejected':
      return { outcome: 'rejected', by, reason: resolution?.reason ?? '', request };
    case 'answered':
      return { outcome: 'answered', by, data: resolution?.response, request };
    case 'expired':
      return { outcome: 'expired', request };
    case 'cancelled':
      return {
        outcome: 'cancelled',
        ...(resolution?.reason ? { reason: resolution.reason } : {}),
        request,
      };
    default:
      throw new CountersignError('invalid_response', {
        message: `Request ${request.id} ended the wait still ${request.status}`,
      });
  }
}

/**
 * Asks a human and waits for the answer: `await waitForHuman({ task: 'approval', assignee:
 * 'alice', timeout: '30m', escalateTo: 'group:leads' })`. Resolves with the outcome (approved,
 * rejected with the reason, answered with the data, expired, cancelled); rejects only when asking
 * failed (bad options, the service unreachable, the signal), so a caller that proceeds only on
 * `approved` fails closed. With `id`, a restarted process re-attaches to the same request.
 */
export async function waitForHuman(options: WaitForHumanOptions): Promise<HumanOutcome> {
  const body = requestBody(options);
  const service = options.service ?? new CountersignClient();
  const key = `wait-for-human-${createHash('sha256')
    .update(options.id ?? randomUUID())
    .digest('hex')}`;
  const signal = options.signal ? { signal: options.signal } : {};
  const created = await service.create(body, { idempotencyKey: key, ...signal });
  const request = created.status === 'pending' ? await service.wait(created.id, signal) : created;
  return outcomeOf(request);
}

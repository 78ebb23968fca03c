import {
  type ApprovalRequest,
  type Execution,
  type ExecutionReportInput,
  executionReportBodySchema,
  MAX_EXECUTION_ERROR_LENGTH,
} from '@countersign/core/protocol';
import type { Principal } from '../auth/principal.js';
import { isoTime } from '../clock.js';
import { renewReceipt } from './attach-receipt.js';
import { fail, requestNotFound } from './failures.js';
import { nextVersion, recordChange } from './record-change.js';
import { loadVisible } from './request-access.js';
import type { ServiceContext } from './service-context.js';

/** The message a second runner of an approval gets (the gate shows it to the model). */
export const ALREADY_RAN = 'this call is already running or ran';

/** The execution after `report`, or undefined when the report repeats what is recorded. */
function nextExecution(
  request: ApprovalRequest,
  principal: Principal,
  report: ExecutionReportInput,
  now: string,
): Execution | undefined {
  const current = request.execution;
  const details = { requestId: request.id, ...(current ? { state: current.state } : {}) };
  if (report.state === 'executing') {
    if (!current)
      return { state: 'executing', attempt: report.attempt, by: principal.id, startedAt: now };
    if (current.attempt === report.attempt && current.state === 'executing') return undefined;
    throw fail('conflict', `Request ${request.id}: ${ALREADY_RAN}`, details);
  }
  if (!current || current.attempt !== report.attempt) {
    throw fail(
      'conflict',
      `Request ${request.id} was not reported executing by this attempt`,
      details,
    );
  }
  if (current.state === report.state) return undefined;
  if (current.state !== 'executing') {
    throw fail('conflict', `Request ${request.id} already ${current.state}`, details);
  }
  const error = report.error?.slice(0, MAX_EXECUTION_ERROR_LENGTH);
  return {
    ...current,
    state: report.state,
    finishedAt: now,
    ...(report.state === 'failed' && error !== undefined ? { error } : {}),
  };
}

/**
 * Records what happened to an approved tool call: `executing` just before it runs (once: a second
 * attempt gets a 409 conflict, so nothing runs twice), then `succeeded` or `failed`. Only the
 * requester or an admin reports; repeating the same report is a no-op. The answer to `executing`
 * carries the receipt re-signed as the call starts, which is the one to hand the tool.
 */
export async function reportExecution(
  context: ServiceContext,
  principal: Principal,
  id: string,
  input: ExecutionReportInput,
): Promise<ApprovalRequest> {
  const report = executionReportBodySchema.parse(input);
  return context.store.transaction(async (tx) => {
    const request = await loadVisible(tx, principal, id);
    if (!request) throw requestNotFound(id);
    if (principal.role !== 'admin' && request.requester !== principal.id) {
      throw fail('forbidden', `Only the requester or an admin can report on request ${id}`);
    }
    if (request.status !== 'approved' || !request.tool) {
      throw fail(
        'conflict',
        `Request ${id} is ${request.status}: only an approved tool call runs`,
        {
          requestId: id,
          status: request.status,
        },
      );
    }
    const now = isoTime(context.clock.now());
    const execution = nextExecution(request, principal, report, now);
    if (!execution) return request;
    const advanced = nextVersion(request, now);
    advanced.execution = execution;
    // The call starts now, maybe long after the approval: its tool gets a receipt valid from here.
    const next =
      execution.state === 'executing' ? await renewReceipt(context, tx, advanced) : advanced;
    await recordChange(context, tx, {
      request: next,
      previousVersion: request.version,
      type: 'execution',
      actor: principal.id,
      data: {
        state: execution.state,
        attempt: execution.attempt,
        ...(execution.error === undefined ? {} : { error: execution.error }),
      },
    });
    return next;
  });
}

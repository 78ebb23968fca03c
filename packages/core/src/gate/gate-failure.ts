import { CountersignError } from '../errors/index.js';
import { gateMessages } from './gate-messages.js';
import type { GateDeny } from './gate-types.js';

const INVALID_CODES = new Set(['validation_failed', 'unprocessable', 'fingerprint_mismatch']);

/** Turns any failure into a deny: the call never runs on an error. */
export function denyForError(
  error: unknown,
  where: { requestId?: string; rule?: string; signal?: AbortSignal },
): GateDeny {
  const deny = (reason: GateDeny['reason'], message: string): GateDeny => ({
    outcome: 'deny',
    reason,
    message,
    cause: error,
    ...(where.requestId === undefined ? {} : { requestId: where.requestId }),
    ...(where.rule === undefined ? {} : { rule: where.rule }),
  });
  if (where.signal?.aborted || CountersignError.hasCode(error, 'aborted')) {
    return deny('aborted', gateMessages.aborted());
  }
  // The same run, tool call id and arguments already asked with other details (context, approvers):
  // a caller bug, not an outage, so say so rather than "try again later".
  if (CountersignError.hasCode(error, 'idempotency_conflict')) {
    return deny('invalid', gateMessages.duplicateCall());
  }
  // The server refuses a stopped agent's request with the operator's message: pass it on as is.
  if (CountersignError.hasCode(error, 'forbidden') && error.details.stopped === true) {
    return deny('policy', error.message);
  }
  if (CountersignError.isInstance(error) && INVALID_CODES.has(error.code)) {
    return deny('invalid', gateMessages.invalid(error.message));
  }
  return deny('unavailable', unavailableMessage(error, where.requestId));
}

/** A wait that rode out an outage until its window passed says so; other failures say less. */
function unavailableMessage(error: unknown, requestId: string | undefined): string {
  const downForMs = CountersignError.isInstance(error) ? error.details.downForMs : undefined;
  if (typeof downForMs !== 'number' || requestId === undefined) return gateMessages.unavailable();
  return gateMessages.unavailableWhileWaiting(requestId, Math.max(1, Math.round(downForMs / 1000)));
}

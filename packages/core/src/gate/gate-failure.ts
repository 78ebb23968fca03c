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
  if (CountersignError.isInstance(error) && INVALID_CODES.has(error.code)) {
    return deny('invalid', gateMessages.invalid(error.message));
  }
  return deny('unavailable', gateMessages.unavailable());
}

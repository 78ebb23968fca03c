import { CountersignError, type WireErrorCode } from '@countersign/core/protocol';

/** Shorthand for a Countersign error with a wire code (one the HTTP layer answers with), a message and optional details. */
export function fail(
  code: WireErrorCode,
  message: string,
  details?: Record<string, unknown>,
): CountersignError {
  return new CountersignError(code, { message, ...(details ? { details } : {}) });
}

/** The error for a request that does not exist or that the caller may not see. */
export function requestNotFound(id: string): CountersignError {
  return fail('not_found', `No request ${id}`, { requestId: id });
}

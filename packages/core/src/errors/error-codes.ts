/**
 * Every error code Countersign uses, with the HTTP status the server answers with.
 * This is the one table that maps codes to statuses: the server and the client both read it.
 */
export const ERROR_HTTP_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_conflict: 409,
  version_conflict: 409,
  already_decided: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
  // Codes below never cross the wire from the server; they describe outcomes and client-side failures.
  rejected: 409,
  expired: 409,
  cancelled: 409,
  invalid_response: 502,
  timeout: 504,
  aborted: 499,
  policy_invalid: 400,
  fingerprint_mismatch: 409,
} as const;

/** A stable string code naming what went wrong. */
export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

/** The codes a server may put in an API error body. */
export const WIRE_ERROR_CODES = [
  'validation_failed',
  'invalid_json',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'idempotency_conflict',
  'version_conflict',
  'already_decided',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable',
  'rate_limited',
  'internal',
  'service_unavailable',
] as const satisfies readonly ErrorCode[];

/** A code that may appear in an API error body. */
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

/** The HTTP status for an error code. */
export function httpStatusForCode(code: ErrorCode): number {
  return ERROR_HTTP_STATUS[code];
}

/** True when `value` is a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_HTTP_STATUS, value);
}

/**
 * The codes a server may put in an API error body, each with the HTTP status it answers with.
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
} as const;

/** A code that may appear in an API error body. */
export type WireErrorCode = keyof typeof ERROR_HTTP_STATUS;

/** The codes a server may put in an API error body (the keys of {@link ERROR_HTTP_STATUS}). */
export const WIRE_ERROR_CODES = Object.freeze(
  Object.keys(ERROR_HTTP_STATUS) as WireErrorCode[],
) as readonly WireErrorCode[];

/**
 * Codes that never cross the wire, so they have no HTTP status: they describe outcomes of a
 * request (`rejected`, `expired`, `cancelled`) and failures on the caller's side.
 */
export const LOCAL_ERROR_CODES = [
  'rejected',
  'expired',
  'cancelled',
  'invalid_response',
  'timeout',
  'aborted',
  'policy_invalid',
  'fingerprint_mismatch',
  'receipt_invalid',
] as const;

/** A code only a local error carries (see {@link LOCAL_ERROR_CODES}). */
export type LocalErrorCode = (typeof LOCAL_ERROR_CODES)[number];

/** A stable string code naming what went wrong. */
export type ErrorCode = WireErrorCode | LocalErrorCode;

const localCodes: ReadonlySet<string> = new Set(LOCAL_ERROR_CODES);

/** The HTTP status for a code that crosses the wire. */
export function httpStatusForCode(code: WireErrorCode): number {
  return ERROR_HTTP_STATUS[code];
}

/** True when `value` is a code that may appear in an API error body. */
export function isWireErrorCode(value: unknown): value is WireErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_HTTP_STATUS, value);
}

/** True when `value` is a known error code, wire or local. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return isWireErrorCode(value) || (typeof value === 'string' && localCodes.has(value));
}

import {
  CountersignError,
  ERROR_HTTP_STATUS,
  isWireErrorCode,
  type WireErrorCode,
} from '@countersign/core/protocol';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';

/** Sends the JSON error body with the status core's table gives the code. */
export function errorResponse(
  c: Context,
  code: WireErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): Response {
  return c.json(
    { error: { code, message, details } },
    ERROR_HTTP_STATUS[code] as ContentfulStatusCode,
  );
}

/** Converts a Zod error into the details of a `validation_failed` body. */
export function zodDetails(error: ZodError): Record<string, unknown> {
  return {
    issues: error.issues.slice(0, 50).map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
      code: issue.code,
    })),
  };
}

const HTTP_STATUS_CODES: Partial<Record<number, WireErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** `Retry-After` for a refusal that says when to come back (`details.retryAfterSeconds`). */
function retryHeaders(details: Record<string, unknown>): Record<string, string> {
  const seconds = details.retryAfterSeconds;
  return typeof seconds === 'number' ? { 'retry-after': String(seconds) } : {};
}

/**
 * The status and JSON body for any error: known errors with a wire code keep it; a local code
 * (an outcome or a caller-side failure, never meant for the wire) and anything else is a bare 500.
 */
export function errorBody(
  error: unknown,
  log: (error: unknown) => void,
): {
  status: number;
  body: { error: { code: WireErrorCode; message: string; details: Record<string, unknown> } };
  headers: Record<string, string>;
} {
  const body = (code: WireErrorCode, message: string, details: Record<string, unknown> = {}) => ({
    status: ERROR_HTTP_STATUS[code],
    body: { error: { code, message, details } },
    headers: code === 'rate_limited' ? retryHeaders(details) : {},
  });
  if (CountersignError.isInstance(error) && isWireErrorCode(error.code)) {
    const code = error.code;
    const wire =
      ERROR_HTTP_STATUS[code] >= 500 && code !== 'service_unavailable' ? 'internal' : code;
    return body(wire, error.message, error.details);
  }
  if (error instanceof ZodError) {
    return body('validation_failed', 'The input is invalid', zodDetails(error));
  }
  if (error instanceof HTTPException) {
    return body(
      HTTP_STATUS_CODES[error.status] ?? 'validation_failed',
      error.message || 'Bad request',
    );
  }
  log(error);
  return body('internal', 'Internal server error');
}

/** The app-wide error handler. */
export function handleError(error: unknown, c: Context, log: (error: unknown) => void): Response {
  const { status, body, headers } = errorBody(error, log);
  return c.json(body, status as ContentfulStatusCode, headers);
}

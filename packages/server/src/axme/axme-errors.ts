import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorBody } from '../http/http-errors.js';

/**
 * The error handler of the AXME routes: the same codes and statuses as the rest of the API, in the
 * body AXME clients read (`{ error: { code, message, details }, detail }`, `detail` being the
 * message as FastAPI-style clients expect it), with `Retry-After` on a 429 as elsewhere.
 */
export function handleAxmeError(
  error: unknown,
  c: Context,
  log: (error: unknown) => void,
): Response {
  const traceId = c.res.headers.get('x-trace-id') ?? c.req.header('x-trace-id');
  const { status, body, headers } = errorBody(error, (unexpected) =>
    log(traceId ? { traceId, error: unexpected } : unexpected),
  );
  return c.json({ ...body, detail: body.error.message }, status as ContentfulStatusCode, headers);
}

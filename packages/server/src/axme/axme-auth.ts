import type { MiddlewareHandler } from 'hono';
import { type AppEnv, authenticateRequest, clientAddress } from '../http/auth-middleware.js';
import type { RequestLimits } from '../http/request-limits.js';
import type { EventBus } from '../service/event-bus.js';
import { fail } from '../service/failures.js';
import type { Store } from '../store/store-types.js';

const TRACE_ID = /^[\w.:/-]{1,128}$/;

/**
 * Authenticates an AXME client: its service-account key comes as `x-api-key` (a Countersign key),
 * and an `Authorization: Bearer` beside it is an AXME actor token, which is ignored; without
 * `x-api-key` a Countersign key as Bearer works too. A well-formed `X-Trace-Id` is echoed back.
 * The same rate limits as /v1 apply: per key, and per address for failed authentication.
 */
export function authenticateAxme(
  store: Store,
  limits: RequestLimits,
  bus?: EventBus,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const traceId = c.req.header('x-trace-id');
    if (traceId !== undefined && TRACE_ID.test(traceId)) c.header('x-trace-id', traceId);
    const apiKey = c.req.header('x-api-key')?.trim();
    const authorization = c.req.header('authorization');
    const address = clientAddress(c);
    if (!apiKey && !authorization) {
      limits.chargeUnauthenticated(address ?? 'unknown');
      throw fail('unauthorized', 'Send a Countersign API key as "x-api-key: <key>"');
    }
    c.set(
      'principal',
      await authenticateRequest(
        store,
        limits,
        apiKey ? `Bearer ${apiKey}` : (authorization as string),
        address,
        bus,
      ),
    );
    await next();
  };
}

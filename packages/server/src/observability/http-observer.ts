import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../http/auth-middleware.js';
import { newId } from '../ids.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './server-metrics.js';
import { currentTraceparent, parentContext, serverTracer } from './server-tracing.js';

/** A client's `x-request-id` is kept when it is short and plain; otherwise we make one. */
const PLAIN_ID = /^[\w.:-]{1,64}$/;

/** What {@link observeHttp} reports to. */
export interface HttpObservers {
  metrics?: ServerMetrics | undefined;
  logger?: Logger | undefined;
}

/**
 * Runs each request in an HTTP server span (a child of the client's `traceparent`), names it by
 * route template, counts it in `countersign_http_request_duration_seconds` and logs one line with
 * the request id, principal, route, status, duration and trace id. Logs name the route template,
 * never the raw path or query, so tokens in paths (email links) stay out of them.
 */
export function observeHttp(observers: HttpObservers): MiddlewareHandler<AppEnv> {
  const { metrics, logger } = observers;
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given !== undefined && PLAIN_ID.test(given) ? given : newId('req_http');
    const received = c.req.header('traceparent');
    const method = c.req.method;
    const parent = parentContext(received);
    // Attributes are set once, at the end (the SDK checks those given at the start twice).
    const span = serverTracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
    const active = trace.setSpan(parent, span);
    c.set('requestId', requestId);
    // Before the handler: a streamed answer has sent its headers by the time it returns.
    c.header('x-request-id', requestId);
    const traceparent = currentTraceparent(received, active);
    if (traceparent !== undefined) c.set('traceparent', traceparent);
    try {
      await context.with(active, () => next());
    } finally {
      const status = c.res.status;
      // The route of the handler that answered (later catch-alls such as the dashboard match too).
      const matched = routePath(c);
      const route = status === 404 && (matched === '*' || matched === '/*') ? 'unmatched' : matched;
      span.updateName(`${method} ${route}`);
      if (span.isRecording()) {
        span.setAttributes({
          'http.request.method': method,
          'url.scheme': 'http',
          'http.route': route,
          'http.response.status_code': status,
        });
      }
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      const seconds = (performance.now() - started) / 1000;
      metrics?.http(method, route, status, seconds);
      if (logger?.isLevelEnabled('info')) {
        logger.info(
          {
            requestId,
            method,
            route,
            status,
            durationMs: Math.round(seconds * 10_000) / 10,
            principal: c.get('principal')?.id,
            ...(isSpanContextValid(span.spanContext())
              ? { traceId: span.spanContext().traceId }
              : {}),
          },
          'request',
        );
      }
    }
  };
}

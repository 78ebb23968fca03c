import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { AppEnv } from '../http/auth-middleware.js';
import { errorResponse } from '../http/http-errors.js';
import type { ServerMetrics } from './server-metrics.js';

/** Where `/metrics` is served; with neither set, nowhere (the default). */
export interface MetricsOptions {
  /**
   * Serve `GET /metrics` on its own listener at this port (0 picks one), bound to `host`: keep it
   * off the API port so scrapers need no key. Default: no separate listener.
   */
  port?: number;
  /** Interface of the metrics listener (default 127.0.0.1; only loopback unless you change it). */
  host?: string;
  /**
   * Serve `GET /metrics` on the API port too, to callers sending `Authorization: Bearer <token>`
   * (at least 16 characters); anyone else gets a 401. Default: not on the API port.
   */
  token?: string;
}

/** True when either way of serving `/metrics` is configured. */
export function metricsEnabled(options: MetricsOptions | undefined): boolean {
  return options?.port !== undefined || options?.token !== undefined;
}

async function scrape(metrics: ServerMetrics): Promise<Response> {
  const text = await metrics.registry.metrics();
  return new Response(text, { headers: { 'content-type': metrics.registry.contentType } });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /metrics` on the API port: behind the metrics token when one is set, else a 404 (so the
 * route, and its OpenAPI entry, exist either way).
 */
export function tokenMetricsRoute(
  metrics: ServerMetrics | undefined,
  token: string | undefined,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/metrics', async (c) => {
    if (metrics === undefined || token === undefined) {
      return errorResponse(
        c,
        'not_found',
        'Metrics are not served on this port: start the server with --metrics-token (or --metrics-port for a port of their own)',
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!match || !sameSecret(match[1] as string, token)) {
      return errorResponse(
        c,
        'unauthorized',
        'Send the metrics token as "Authorization: Bearer <token>"',
      );
    }
    return scrape(metrics);
  });
  return app;
}

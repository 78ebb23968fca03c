import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerMetrics } from './server-metrics.js';

/** The route template of a long-lived route served on Node directly (see `fastWaitRoutes`). */
function templateOf(url: string): string {
  const path = url.split('?')[0] ?? '';
  if (path === '/v1/events') return '/v1/events';
  return path.endsWith('/events') ? '/v1/requests/:id/events' : '/v1/requests/:id/wait';
}

/** Counts a long-poll or stream served outside the Hono app once its response ends. */
export function observeNodeRoute(
  request: IncomingMessage,
  response: ServerResponse,
  metrics: ServerMetrics,
): void {
  const started = performance.now();
  response.once('close', () => {
    const seconds = (performance.now() - started) / 1000;
    metrics.http(
      request.method ?? 'GET',
      templateOf(request.url ?? ''),
      response.statusCode,
      seconds,
    );
  });
}

import { Hono } from 'hono';
import { canSee } from '../auth/principal.js';
import { requestNotFound } from '../service/failures.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import type { AppEnv } from './auth-middleware.js';
import { type KeepAlive, parseLastEventId, runEventStream } from './event-stream.js';
import { respondWithSse } from './sse-sink.js';

/** `GET /v1/requests/:id/events` and `GET /v1/events`, as Server-Sent Events. */
export function eventRoutes(
  context: ServiceContext,
  keepAlive: KeepAlive,
): { perRequest: Hono<AppEnv>; all: Hono<AppEnv> } {
  const perRequest = new Hono<AppEnv>();
  perRequest.get('/:id/events', async (c) => {
    const id = c.req.param('id');
    const afterId =
      parseLastEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId')) ?? 0;
    const request = await context.store.read((tx) => loadVisible(tx, c.get('principal'), id));
    if (!request) throw requestNotFound(id);
    return respondWithSse(c, (sink) =>
      runEventStream(context, sink, { requestId: id, afterId, visible: () => true, keepAlive }),
    );
  });
  const all = new Hono<AppEnv>();
  all.get('/', async (c) => {
    const principal = c.get('principal');
    // Without Last-Event-ID the firehose starts now rather than replaying all history.
    const afterId =
      parseLastEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId')) ??
      (await context.store.read((tx) => tx.latestEventId()));
    return respondWithSse(c, (sink) =>
      runEventStream(context, sink, {
        afterId,
        visible: (event) => canSee(principal, event.request),
        keepAlive,
      }),
    );
  });
  return { perRequest, all };
}

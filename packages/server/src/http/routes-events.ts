import type { RequestEvent } from '@countersign/core';
import { type Context, Hono } from 'hono';
import { canSee, type Principal } from '../auth/principal.js';
import { fail, requestNotFound } from '../service/failures.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import type { AppEnv } from './auth-middleware.js';
import { respondWithSse, type SseSink, sseMessage } from './sse-sink.js';

const REPLAY_PAGE = 500;

/** Options for the SSE routes. */
export interface EventRoutesOptions {
  /** Milliseconds between `: keep-alive` comments (default 15 000). */
  keepAliveMs?: number;
}

function lastEventId(c: Context): number | undefined {
  const header = c.req.header('last-event-id') ?? c.req.query('lastEventId');
  if (header === undefined || header === '') return undefined;
  if (!/^\d{1,15}$/.test(header)) {
    throw fail('validation_failed', 'Last-Event-ID must be an event id from this server');
  }
  return Number(header);
}

interface StreamOptions {
  requestId?: string;
  afterId: number;
  visible: (event: RequestEvent) => boolean;
  keepAlive: KeepAlive;
}

/** One timer for every open stream's `: keep-alive` comment, instead of one timer per stream. */
class KeepAlive {
  readonly #sinks = new Set<SseSink>();
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  add(sink: SseSink): () => void {
    this.#sinks.add(sink);
    if (!this.#timer) {
      this.#timer = setInterval(() => {
        for (const each of this.#sinks) each.write(': keep-alive\n\n');
      }, this.#intervalMs);
      this.#timer.unref();
    }
    return () => {
      this.#sinks.delete(sink);
      if (this.#sinks.size === 0) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }
}

/** Sends stored events after the last one sent, page by page (a helper, so no page stays referenced). */
async function replay(
  context: ServiceContext,
  requestId: string | undefined,
  lastSent: () => number,
  send: (event: RequestEvent) => void,
): Promise<void> {
  for (;;) {
    const page = await context.store.read((tx) =>
      tx.listEvents(lastSent(), requestId, REPLAY_PAGE),
    );
    for (const event of page) send(event);
    if (page.length < REPLAY_PAGE) return;
  }
}

/**
 * Streams events after `afterId`: subscribes first, replays from the database, then goes live,
 * skipping anything already sent, so a reconnect with Last-Event-ID misses nothing.
 */
function streamEvents(
  c: Context<AppEnv>,
  context: ServiceContext,
  options: StreamOptions,
): Response {
  return respondWithSse(c, async (sink) => {
    let lastSent = options.afterId;
    let live = false;
    const pending: RequestEvent[] = [];
    const send = (event: RequestEvent) => {
      const id = Number(event.id);
      if (id <= lastSent || !options.visible(event)) return;
      lastSent = id;
      sink.write(sseMessage(event.id, event.type, JSON.stringify(event)));
    };
    const unsubscribe = context.bus.subscribe(options.requestId ?? '*', (event) => {
      if (live) send(event);
      else pending.push(event);
    });
    const stopKeepAlive = options.keepAlive.add(sink);
    try {
      await replay(context, options.requestId, () => lastSent, send);
      live = true;
      for (const event of pending.splice(0)) send(event);
      sink.write(': connected\n\n');
      await sink.closed;
    } finally {
      stopKeepAlive();
      unsubscribe();
    }
  });
}

/** `GET /v1/requests/:id/events` and `GET /v1/events`, as Server-Sent Events. */
export function eventRoutes(
  context: ServiceContext,
  options: EventRoutesOptions = {},
): { perRequest: Hono<AppEnv>; all: Hono<AppEnv> } {
  const keepAlive = new KeepAlive(options.keepAliveMs ?? 15_000);
  const perRequest = new Hono<AppEnv>();
  perRequest.get('/:id/events', async (c) => {
    const id = c.req.param('id');
    const afterId = lastEventId(c) ?? 0;
    const request = await context.store.read((tx) => loadVisible(tx, c.get('principal'), id));
    if (!request) throw requestNotFound(id);
    return streamEvents(c, context, { requestId: id, afterId, visible: () => true, keepAlive });
  });
  const all = new Hono<AppEnv>();
  all.get('/', async (c) => {
    // Without Last-Event-ID the firehose starts now rather than replaying all history.
    const afterId = lastEventId(c) ?? (await context.store.read((tx) => tx.latestEventId()));
    const principal: Principal = c.get('principal');
    return streamEvents(c, context, {
      afterId,
      visible: (event) => canSee(principal, event.request),
      keepAlive,
    });
  });
  return { perRequest, all };
}

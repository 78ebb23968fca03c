import type { ApprovalRequest, RequestEvent } from '@countersign/core/protocol';
import type { Context } from 'hono';
import type { KeepAlive } from '../http/event-stream.js';
import { respondWithSse, sseMessage } from '../http/sse-sink.js';
import type { ServiceContext } from '../service/service-context.js';
import { requestEvents } from './intent-access.js';
import { type IntentEvent, numberEvents } from './intent-events.js';

/** What to stream. */
export interface IntentStreamOptions {
  request: ApprovalRequest;
  /** Send events with a `seq` above this. */
  since: number;
  /** How long the window stays open before `stream.timeout`. */
  windowMs: number;
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'TIMED_OUT']);

/**
 * `GET /v1/intents/{id}/events/stream`: frames `id: <seq>`, `event: intent.<type>`, `data: {…}`.
 * It subscribes before replaying from the database (so nothing falls between), ends after a
 * terminal event, and otherwise closes the window with `stream.timeout`; a client resumes with
 * `?since=` (or `Last-Event-ID`) set to the highest `seq` it saw.
 */
export function streamIntentEvents(
  c: Context,
  context: ServiceContext,
  keepAlive: KeepAlive,
  options: IntentStreamOptions,
): Response {
  return respondWithSse(c, async (sink) => {
    let lastEventId = 0;
    let nextSeq = 1;
    let replayed = false;
    let finished = false;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const pending: RequestEvent[] = [];
    const send = (events: RequestEvent[]) => {
      const fresh = events.filter((event) => Number(event.id) > lastEventId);
      if (fresh.length === 0 || finished) return;
      lastEventId = Number((fresh.at(-1) as RequestEvent).id);
      const numbered = numberEvents(fresh, nextSeq);
      nextSeq = numbered.next;
      for (const event of numbered.events) {
        if (event.seq <= options.since) continue;
        sink.write(sseMessage(String(event.seq), event.event_type, JSON.stringify(event)));
      }
      if (numbered.events.some((event: IntentEvent) => TERMINAL.has(event.status))) {
        finished = true;
        finish();
      }
    };
    const unsubscribe = context.bus.subscribe(options.request.id, (event) => {
      if (replayed) send([event]);
      else pending.push(event);
    });
    const stopKeepAlive = keepAlive.add(sink);
    const timer = setTimeout(() => {
      if (finished) return;
      finished = true;
      sink.write(
        sseMessage(
          String(nextSeq - 1),
          'stream.timeout',
          JSON.stringify({ ok: true, last_seq: nextSeq - 1 }),
        ),
      );
      finish();
    }, options.windowMs);
    try {
      send(await requestEvents(context, options.request.id));
      replayed = true;
      send(pending.splice(0));
      await Promise.race([done, sink.closed]);
    } finally {
      clearTimeout(timer);
      stopKeepAlive();
      unsubscribe();
    }
  });
}

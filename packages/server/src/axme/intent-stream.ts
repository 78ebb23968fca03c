import type { ApprovalRequest, RequestEvent } from '@countersign/core/protocol';
import { principalStillValid } from '../auth/live-authorization.js';
import type { Principal } from '../auth/principal.js';
import { StreamSlot } from '../http/event-stream.js';
import type { LongLivedServices } from '../http/long-lived-plan.js';
import { type SseSink, sseMessage } from '../http/sse-sink.js';
import { canSeeIntent, requestEvents } from './intent-access.js';
import { numberEvents } from './intent-events.js';

/** What to stream. */
export interface IntentStreamOptions {
  /** The request behind the intent, as the principal was allowed to read it. */
  request: ApprovalRequest;
  /** Send events with a `seq` above this. */
  since: number;
  /** How long the window stays open before `stream.timeout`. */
  windowMs: number;
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'TIMED_OUT']);

/** Why the pump stopped. */
type Ending = 'terminal' | 'timeout' | 'stopped';

/**
 * `GET /v1/intents/{id}/events/stream`: frames `id: <seq>`, `event: intent.<type>`, `data: {…}`.
 * It takes the key's open-wait slot now (429 over the cap; a revoked key's streams end through
 * it) and returns the stream's body. One pump sends the replay and then the live events from a
 * single queue, so writes stay in order while it waits for a slow client to drain. Every event is
 * checked against the request as it now stands: a revoked key, or a principal taken off the
 * request, ends the stream before the event is sent. It ends after a terminal event, and
 * otherwise closes the window with `stream.timeout`; a client resumes with `?since=` (or
 * `Last-Event-ID`) set to the highest `seq` it saw.
 */
export function openIntentStream(
  services: LongLivedServices,
  principal: Principal,
  options: IntentStreamOptions,
): (sink: SseSink) => Promise<void> {
  const { context, keepAlive, waits } = services;
  const slot = new StreamSlot();
  slot.release = waits.open(principal, slot);
  return async (sink) => {
    const queue: RequestEvent[] = [];
    let ending: Ending | undefined;
    let wake: () => void = () => undefined;
    let stopped: () => void = () => undefined;
    const stoppedPromise = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const stop = (why: Ending) => {
      ending ??= why;
      stopped();
      wake();
    };
    // Subscribed before the replay is read, so nothing falls between; duplicates are skipped by id.
    const unsubscribe = context.bus.subscribe(options.request.id, (event) => {
      queue.push(event);
      wake();
    });
    const stopKeepAlive = keepAlive.add(sink);
    void sink.closed.then(() => stop('stopped'));
    slot.attach(() => stop('stopped'));
    const timer = setTimeout(() => stop('timeout'), options.windowMs);
    let latest = options.request;
    let lastEventId = 0;
    let nextSeq = 1;
    try {
      queue.unshift(...(await requestEvents(context, options.request.id)));
      while (ending === undefined) {
        const event = queue.shift();
        if (!event) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        if (Number(event.id) <= lastEventId) continue;
        lastEventId = Number(event.id);
        // Access follows the request as it now stands: history replays in full, while an event
        // that takes the principal off the request ends the stream before it is sent.
        if (event.request.version >= latest.version) latest = event.request;
        if (!principalStillValid(context.bus, principal) || !canSeeIntent(principal, latest)) {
          stop('stopped');
          break;
        }
        const numbered = numberEvents([event], nextSeq);
        nextSeq = numbered.next;
        let keepsUp = true;
        for (const each of numbered.events) {
          if (each.seq <= options.since) continue;
          const taken = sink.write(
            sseMessage(String(each.seq), each.event_type, JSON.stringify(each)),
          );
          keepsUp &&= taken;
        }
        if (numbered.events.some((each) => TERMINAL.has(each.status))) stop('terminal');
        else if (!keepsUp) await Promise.race([sink.drained(keepAlive.stallMs), stoppedPromise]);
      }
      if (ending === 'timeout') {
        const lastSeq = nextSeq - 1;
        sink.write(
          sseMessage(
            String(lastSeq),
            'stream.timeout',
            JSON.stringify({ ok: true, last_seq: lastSeq }),
          ),
        );
      }
    } finally {
      clearTimeout(timer);
      stopKeepAlive();
      unsubscribe();
      slot.release();
    }
  };
}

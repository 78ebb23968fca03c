import type { RequestEvent } from '@countersign/core/protocol';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import type { SseSink } from './sse-sink.js';
import { sseMessage } from './sse-sink.js';

const REPLAY_PAGE = 500;

/** Reads `Last-Event-ID` (or `?lastEventId=`); undefined when absent, 400 when not one of ours. */
export function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw fail('validation_failed', 'Last-Event-ID must be an event id from this server');
  }
  return Number(value);
}

/** One timer for every open stream's `: keep-alive` comment, instead of one timer per stream. */
export class KeepAlive {
  readonly #sinks = new Set<SseSink>();
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Adds a stream; returns its removal. */
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

/** What to stream. */
export interface EventStreamOptions {
  /** One request's events, or every event when absent. */
  requestId?: string;
  /** Send events with a global id above this. */
  afterId: number;
  /** Whether the caller may see an event. */
  visible: (event: RequestEvent) => boolean;
  keepAlive: KeepAlive;
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
 * Streams events after `afterId` until the client goes away: subscribes first, replays from the
 * database, then goes live, skipping anything already sent, so a reconnect with Last-Event-ID
 * misses nothing.
 */
export async function runEventStream(
  context: ServiceContext,
  sink: SseSink,
  options: EventStreamOptions,
): Promise<void> {
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
}

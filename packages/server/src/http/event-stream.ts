import type { RequestEvent } from '@countersign/core/protocol';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import type { SseSink } from './sse-sink.js';
import { sseMessage } from './sse-sink.js';

const REPLAY_PAGE = 500;

/** Each live event's SSE text, built once however many streams send it. */
const messages = new WeakMap<RequestEvent, string>();

function messageFor(event: RequestEvent): string {
  let message = messages.get(event);
  if (message === undefined) {
    message = sseMessage(event.id, event.type, JSON.stringify(event));
    messages.set(event, message);
  }
  return message;
}

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

  /** How long a stream waits for a client that reads nothing before disconnecting it (4 intervals). */
  get stallMs(): number {
    return this.#intervalMs * 4;
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

/**
 * A stream's place among the open waits: the server ends the stream through `end` (before or
 * after it starts), and the stream frees the place when it finishes.
 */
export class StreamSlot {
  readonly transport = 'sse';
  #end: (() => void) | undefined;
  #ended = false;
  /** Frees the place; set by whoever took it. */
  release: () => void = () => undefined;

  /** Ends the stream now, or as soon as it starts. */
  end(): void {
    this.#ended = true;
    this.#end?.();
  }

  /** Called by the stream with its own ending. */
  attach(end: () => void): void {
    if (this.#ended) end();
    else this.#end = end;
  }
}

/** What a stream does with an event: send it, leave it out, or end (the caller lost access). */
export type EventVerdict = 'send' | 'skip' | 'end';

/** What to stream. */
export interface EventStreamOptions {
  /** One request's events, or every event when absent. */
  requestId?: string;
  /** Send events with a global id above this. */
  afterId: number;
  /** Decides, for every event about to be sent, whether the caller may still have it. */
  authorize: (event: RequestEvent) => EventVerdict;
  /** Its place among the open waits, through which the server may end it (a revoked key). */
  slot: StreamSlot;
  keepAlive: KeepAlive;
}

/** Sends stored events after the last one sent, page by page (a helper, so no page stays referenced). */
async function replay(
  context: ServiceContext,
  requestId: string | undefined,
  lastSent: () => number,
  send: (event: RequestEvent) => Promise<void>,
  ended: () => boolean,
): Promise<void> {
  for (;;) {
    const page = await context.store.read((tx) =>
      tx.listEvents(lastSent(), requestId, REPLAY_PAGE),
    );
    for (const event of page) {
      if (ended()) return;
      await send(event);
    }
    if (page.length < REPLAY_PAGE) return;
  }
}

/**
 * Streams events after `afterId` until the client goes away or loses access: subscribes first,
 * replays from the database, then goes live, skipping anything already sent, so a reconnect with
 * Last-Event-ID misses nothing. The replay and the events queued meanwhile wait for the client to
 * drain before the next write, so a large history never piles up in the socket; live events are
 * written as they come.
 */
export async function runEventStream(
  context: ServiceContext,
  sink: SseSink,
  options: EventStreamOptions,
): Promise<void> {
  let lastSent = options.afterId;
  let live = false;
  let ended = false;
  let endStream = () => undefined as undefined;
  const finished = new Promise<void>((resolve) => {
    endStream = () => {
      ended = true;
      resolve();
    };
  });
  const pending: RequestEvent[] = [];
  /** Writes the event when it is new and allowed; false when the sink asks to wait. */
  const send = (event: RequestEvent): boolean => {
    const id = Number(event.id);
    if (ended || id <= lastSent) return true;
    const verdict = options.authorize(event);
    if (verdict === 'end') {
      endStream();
      return true;
    }
    lastSent = id;
    if (verdict === 'skip') return true;
    return sink.write(messageFor(event));
  };
  const sendPaced = async (event: RequestEvent) => {
    if (!send(event)) await sink.drained(options.keepAlive.stallMs);
  };
  const unsubscribe = context.bus.subscribe(options.requestId ?? '*', (event) => {
    if (live) send(event);
    else pending.push(event);
  });
  const stopKeepAlive = options.keepAlive.add(sink);
  // Either ends everything: the client going away, or the server ending the stream.
  void sink.closed.then(endStream);
  options.slot.attach(endStream);
  try {
    await replay(
      context,
      options.requestId,
      () => lastSent,
      sendPaced,
      () => ended,
    );
    // Events that arrived during the replay go out in order before live ones can overtake them.
    while (pending.length > 0 && !ended) await sendPaced(pending.shift() as RequestEvent);
    live = true;
    if (!ended) sink.write(': connected\n\n');
    await finished;
  } finally {
    stopKeepAlive();
    unsubscribe();
    options.slot.release();
  }
}

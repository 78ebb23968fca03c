import { type RequestEvent, SseParser } from '@countersign/core/protocol';
import type { ApiClient } from './api-client';
import { parseRequestEvent } from './parse-response';

/** Where the live connection stands, shown to the reviewer in words. */
export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'signed-out';

/** Options of {@link openEventStream}. */
export interface EventStreamOptions {
  api: ApiClient;
  /** The SSE path, `/v1/events` for everything the reviewer may see. */
  path: string;
  /** Called for each event, in order. */
  onEvent: (event: RequestEvent) => void;
  /** Called when the connection state changes. */
  onStatus: (status: StreamStatus) => void;
  /** Stops the stream for good. */
  signal: AbortSignal;
  /** The server sends a keep-alive every 15 s: silence longer than this means a dead connection. */
  idleTimeoutMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Reads a server-sent event stream through `fetch` (so the key travels in the Authorization
 * header, never in the URL) and reconnects with `Last-Event-ID` after any interruption.
 */
export async function openEventStream(options: EventStreamOptions): Promise<void> {
  const { api, signal } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  let lastEventId: string | undefined;
  let failures = 0;
  options.onStatus('connecting');
  while (!signal.aborted) {
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    signal.addEventListener('abort', stop);
    let idle = setTimeout(stop, idleTimeoutMs);
    try {
      const response = await fetch(api.url(options.path), {
        headers: {
          ...api.authHeaders('GET'),
          accept: 'text/event-stream',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
        cache: 'no-store',
        signal: attempt.signal,
      });
      if (response.status === 401) {
        options.onStatus('signed-out');
        return;
      }
      if (!response.ok || !response.body)
        throw new Error(`Event stream answered ${response.status}`);
      options.onStatus('live');
      failures = 0;
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        clearTimeout(idle);
        idle = setTimeout(stop, idleTimeoutMs);
        for (const message of parser.push(value)) {
          lastEventId = message.lastEventId || lastEventId;
          let event: RequestEvent;
          try {
            event = parseRequestEvent(JSON.parse(message.data));
          } catch {
            continue; // A malformed event is skipped; the request page reloads from the API.
          }
          options.onEvent(event);
        }
      }
    } catch {
      // Network errors and aborts both lead to a reconnect below (or the end, when aborted).
    } finally {
      clearTimeout(idle);
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted) return;
    options.onStatus('reconnecting');
    failures++;
    await sleep(Math.min(15_000, 500 * 2 ** Math.min(failures, 5)), signal);
  }
}

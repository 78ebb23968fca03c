import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';

/** Where an SSE stream writes: straight to Node's response when available, else a web stream. */
export interface SseSink {
  /**
   * Queues text in order; write errors end the stream. False once enough is unread that a writer
   * with more to send (a replay) should wait for `drained()` first.
   */
  write(text: string): boolean;
  /**
   * Resolves once the client has taken what was queued, or is gone; a client that takes nothing
   * for `stallMs` is disconnected.
   */
  drained(stallMs: number): Promise<void>;
  /** Resolves when the client goes away. */
  closed: Promise<void>;
}

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * How much unsent live data a client may pile up before it is disconnected. Replays wait for the
 * client instead, so only a client that does not keep up with live events reaches it.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Unread bytes of a web stream above which `write` asks the writer to wait. */
const WEB_STREAM_HIGH_WATER = 64 * 1024;

/** Formats one SSE message; `data` must not contain newlines (JSON.stringify output does not). */
export function sseMessage(id: string, event: string, data: string): string {
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}

/** Writes an SSE stream straight to a Node response until the client goes away. */
export function streamToNodeResponse(
  outgoing: ServerResponse,
  body: (sink: SseSink) => Promise<void>,
): void {
  outgoing.writeHead(200, HEADERS);
  outgoing.flushHeaders();
  const closed = new Promise<void>((resolve) => outgoing.once('close', () => resolve()));
  const sink: SseSink = {
    write: (text) => {
      if (outgoing.writableEnded || outgoing.destroyed) return false;
      // A client that stops reading is cut off rather than buffered without bound; it reconnects
      // with Last-Event-ID and the replay fills the gap.
      if (outgoing.writableLength > MAX_BUFFERED_BYTES) {
        outgoing.destroy();
        return false;
      }
      return outgoing.write(text);
    },
    drained: (stallMs) => {
      if (!outgoing.writableNeedDrain || outgoing.destroyed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let unread = outgoing.writableLength;
        const done = () => {
          clearInterval(timer);
          outgoing.off('drain', done);
          outgoing.off('close', done);
          resolve();
        };
        // A slow reader keeps the stream as long as it takes something each interval.
        const timer = setInterval(() => {
          if (outgoing.writableLength < unread) {
            unread = outgoing.writableLength;
            return;
          }
          outgoing.destroy();
          done();
        }, stallMs);
        outgoing.once('drain', done);
        outgoing.once('close', done);
      });
    },
    closed,
  };
  body(sink)
    .catch(() => undefined)
    .finally(() => {
      if (!outgoing.writableEnded) outgoing.end();
    });
}

/**
 * Runs `body` with an SSE sink. On the Node server it writes to the raw response (fewer hops per
 * event, which is what keeps resume latency low with thousands of streams); elsewhere (in-process
 * `app.request`) it uses Hono's streaming helper.
 */
export function respondWithSse(c: Context, body: (sink: SseSink) => Promise<void>): Response {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.writeHead === 'function') {
    streamToNodeResponse(outgoing, body);
    return RESPONSE_ALREADY_SENT;
  }
  for (const [name, value] of Object.entries(HEADERS)) c.header(name, value);
  return stream(c, async (out) => {
    let chain = Promise.resolve();
    let unread = 0;
    const closed = new Promise<void>((resolve) => out.onAbort(resolve));
    await body({
      write: (text) => {
        unread += text.length;
        chain = chain
          .then(() => out.write(text))
          .then(
            () => undefined,
            () => undefined,
          )
          .finally(() => {
            unread -= text.length;
          });
        return unread < WEB_STREAM_HIGH_WATER;
      },
      drained: () => chain,
      closed,
    });
  });
}

import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { fail } from '../service/failures.js';

function tooLarge(limit: number) {
  return fail('payload_too_large', `The body is larger than ${limit} bytes`, { limit });
}

/**
 * Reads a request's body as UTF-8 within `limit` bytes (413 past it). On the Node server the body
 * comes straight from Node's request: building the web `Request` and its stream for it costs more
 * than the rest of reading a small JSON body. Elsewhere (`app.request` in tests) from the web one.
 */
export function readBody(c: Context, limit: number): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableDidRead) return readIncomingText(incoming, limit);
  return readBodyText(c.req.raw, limit);
}

/** Reads a web request's body as UTF-8, refusing it with 413 as soon as it grows past `limit`. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  if (!request.body) return '';
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** How long, and how much past the limit, the rest of a refused body is read and dropped. */
const DISCARD_MS = 5_000;
const DISCARD_LIMITS = 8;

/**
 * Reads a Node request's body as UTF-8, refusing it with 413 as soon as it grows past `limit`: the
 * rest of the body is read and dropped, never kept, so the 413 reaches a client that is still
 * sending (closing a socket with unread data resets it, and the client would see no answer at
 * all); one that goes on sending for long or much is cut off.
 */
export function readIncomingText(incoming: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(incoming.headers['content-length'] ?? Number.NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  if (incoming.readableEnded) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: unknown) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', finish);
      incoming.off('close', onClose);
      if (error === undefined) resolve(Buffer.concat(chunks, size).toString('utf8'));
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      finish(tooLarge(limit));
      discardRest(incoming, limit);
    };
    const onEnd = () => finish();
    const onClose = () =>
      finish(new Error('The client closed the connection before its body ended'));
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', finish);
    incoming.on('close', onClose);
  });
}

function discardRest(incoming: IncomingMessage, limit: number): void {
  let dropped = 0;
  const cutOff = () => incoming.destroy();
  const timer = setTimeout(cutOff, DISCARD_MS);
  timer.unref();
  incoming.on('data', (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > DISCARD_LIMITS * limit) cutOff();
  });
  incoming.once('close', () => clearTimeout(timer));
}

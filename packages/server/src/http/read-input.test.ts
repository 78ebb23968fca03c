import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CountersignError } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import { readBodyText, readIncomingText } from './read-body.js';

function streamed(chunks: string[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
  return new Request('http://localhost/', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('readBodyText', () => {
  it('reads a streamed body without a content-length', async () => {
    expect(await readBodyText(streamed(['{"a":', '"é"}']), 100)).toBe('{"a":"é"}');
  });

  it('stops a streamed body as soon as it passes the limit', async () => {
    const error = await readBodyText(streamed(['x'.repeat(600), 'y'.repeat(600)]), 1000).catch(
      (e) => e,
    );
    expect(CountersignError.hasCode(error, 'payload_too_large')).toBe(true);
  });
});

describe('readIncomingText', () => {
  /** A Node server whose handler reads each body with `limit` and reports what it got. */
  async function server(limit: number) {
    const outcomes: (string | unknown)[] = [];
    /** How many bytes the server read of each connection, once its request closed. */
    const bytesRead: number[] = [];
    const listener = createServer((request, response) => {
      request.once('close', () => bytesRead.push(request.socket.bytesRead));
      readIncomingText(request, limit).then(
        (text) => {
          outcomes.push(text);
          response.end('ok');
        },
        (error: unknown) => {
          outcomes.push(error);
          response.statusCode = 413;
          response.end('too large');
        },
      );
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    /** Sends `chunks` as a chunked body; resolves once the exchange is over with the status. */
    const send = (chunks: Iterable<string>) =>
      new Promise<number | undefined>((resolve) => {
        let status: number | undefined;
        const request = httpRequest({ port, host: '127.0.0.1', method: 'POST' }, (response) => {
          status = response.statusCode;
          response.resume();
        });
        // A cut connection may reach the client as an error: the status tells what it got.
        request.on('error', () => {});
        request.on('close', () => resolve(status));
        const iterator = chunks[Symbol.iterator]();
        const next = (): void => {
          const { done, value } = iterator.next();
          if (done) request.end();
          else if (!request.destroyed) request.write(value, () => next());
        };
        next();
      });
    return { outcomes, bytesRead, send, close: () => listener.close() };
  }

  it('reads a chunked body in UTF-8', async () => {
    const subject = await server(100);
    expect(await subject.send(['{"a":', '"é"}'])).toBe(200);
    subject.close();
    expect(subject.outcomes).toEqual(['{"a":"é"}']);
  });

  it('refuses a chunked body as soon as it passes the limit, and the client gets the answer', async () => {
    const subject = await server(1000);
    const status = await subject.send(['x'.repeat(600), 'y'.repeat(600), 'z'.repeat(600)]);
    subject.close();
    expect(status).toBe(413);
    expect(subject.outcomes).toHaveLength(1);
    expect(CountersignError.hasCode(subject.outcomes[0], 'payload_too_large')).toBe(true);
  });

  it('cuts off a client that goes on sending far past the limit', async () => {
    const subject = await server(1000);
    // 2 MB, each chunk written once the last one left, so the body is still arriving when refused.
    const chunks = (function* () {
      for (let index = 0; index < 2000; index++) yield 'x'.repeat(1000);
    })();
    expect(await subject.send(chunks)).toBe(413);
    await expect.poll(() => subject.bytesRead).toHaveLength(1);
    subject.close();
    // Cut off soon after 8 × the limit, not read to its end.
    expect(subject.bytesRead[0]).toBeLessThan(200_000);
    expect(subject.outcomes).toHaveLength(1);
  });
});

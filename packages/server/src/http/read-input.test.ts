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
    const listener = createServer((request, response) => {
      readIncomingText(request, limit).then(
        (text) => {
          outcomes.push(text);
          response.end('ok');
        },
        (error: unknown) => outcomes.push(error),
      );
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    /** Sends `chunks` as a chunked body; resolves once the server answered or dropped it. */
    const send = (chunks: string[]) =>
      new Promise<void>((resolve) => {
        const request = httpRequest({ port, host: '127.0.0.1', method: 'POST' }, (response) => {
          response.resume();
          response.on('end', resolve);
        });
        request.on('error', () => resolve());
        for (const chunk of chunks) request.write(chunk);
        request.end();
      });
    return { outcomes, send, close: () => listener.close() };
  }

  it('reads a chunked body in UTF-8', async () => {
    const subject = await server(100);
    await subject.send(['{"a":', '"é"}']);
    subject.close();
    expect(subject.outcomes).toEqual(['{"a":"é"}']);
  });

  it('refuses a chunked body as soon as it passes the limit, and drops the connection', async () => {
    const subject = await server(1000);
    await subject.send(['x'.repeat(600), 'y'.repeat(600), 'z'.repeat(600)]);
    subject.close();
    expect(subject.outcomes).toHaveLength(1);
    expect(CountersignError.hasCode(subject.outcomes[0], 'payload_too_large')).toBe(true);
  });
});

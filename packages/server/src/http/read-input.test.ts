import { CountersignError } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import { readBodyText } from './read-input.js';

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

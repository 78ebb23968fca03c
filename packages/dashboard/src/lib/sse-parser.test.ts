import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses id, event and multi-line data, and ignores comments', () => {
    const parser = new SseParser();
    const messages = parser.feed(
      ': keep-alive\n\nid: 7\nevent: decided\ndata: {"a":1,\ndata: "b":2}\n\n',
    );
    expect(messages).toEqual([{ id: '7', event: 'decided', data: '{"a":1,\n"b":2}' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('handles chunks split anywhere, including inside \\r\\n', () => {
    const text = 'id: 1\r\nevent: created\r\ndata: x\r\n\r\nid: 2\r\ndata: y\r\n\r\n';
    const parser = new SseParser();
    const seen = [];
    for (const char of text) seen.push(...parser.feed(char));
    expect(seen).toEqual([
      { id: '1', event: 'created', data: 'x' },
      { id: '2', event: 'message', data: 'y' },
    ]);
  });

  it('keeps the last id for messages without one, and drops messages without data', () => {
    const parser = new SseParser();
    expect(parser.feed('id: 9\n\nevent: ping\n\ndata: z\n\n')).toEqual([
      { id: '9', event: 'message', data: 'z' },
    ]);
  });

  it('does not dispatch an unterminated message', () => {
    const parser = new SseParser();
    expect(parser.feed('id: 3\ndata: partial\n')).toEqual([]);
    expect(parser.feed('\n')).toEqual([{ id: '3', event: 'message', data: 'partial' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';

describe('SseParser', () => {
  it('reads id, event and multi-line data, and skips comments', () => {
    const parser = new SseParser();
    const messages = parser.push(
      ': keep-alive\nid: 7\nevent: decided\ndata: {"a":\ndata: 1}\n\n: another\n\n',
    );
    expect(messages).toEqual([{ event: 'decided', data: '{"a":\n1}', lastEventId: '7' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('handles every line ending, also split across chunks', () => {
    const parser = new SseParser();
    const text = 'data: a\r\n\r\ndata: b\r\rdata: c\n\n';
    const messages = [...text].flatMap((char) => parser.push(char));
    expect(messages.map((message) => message.data)).toEqual(['a', 'b', 'c']);
    const split = new SseParser();
    expect(split.push('data: x\r')).toEqual([]);
    expect(split.push('\n\r')).toEqual([{ event: 'message', data: 'x', lastEventId: '' }]);
    expect(split.push('\ndata: y\n\n')).toEqual([{ event: 'message', data: 'y', lastEventId: '' }]);
  });

  it('keeps the last id across events, ignores ids with NUL and reads retry', () => {
    const parser = new SseParser();
    const messages = parser.push('id: 1\ndata: a\n\ndata: b\n\nid: x\0y\nretry: 250\ndata: c\n\n');
    expect(messages.map((message) => message.lastEventId)).toEqual(['1', '1', '1']);
    expect(parser.retryMs).toBe(250);
    parser.push('retry: soon\n\n');
    expect(parser.retryMs).toBe(250);
  });

  it('does not dispatch events without data, strips a BOM and keeps one leading space only', () => {
    const parser = new SseParser();
    expect(parser.push('\uFEFFevent: ping\n\n')).toEqual([]);
    expect(parser.push('data:  two spaces\ndata\n\n')).toEqual([
      { event: 'message', data: ' two spaces\n', lastEventId: '' },
    ]);
  });

  it('waits for the blank line before dispatching', () => {
    const parser = new SseParser();
    expect(parser.push('data: partial')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: 'partial', lastEventId: '' }]);
  });
});

describe('SseParser comments', () => {
  it('reports comment lines to onComment, in order, without dispatching them', () => {
    const comments: string[] = [];
    const parser = new SseParser({ onComment: (text) => comments.push(text) });
    expect(parser.push(': keep-alive\n:tight\ndata: a\n\n: after\n')).toEqual([
      { event: 'message', data: 'a', lastEventId: '' },
    ]);
    expect(comments).toEqual(['keep-alive', 'tight', 'after']);
  });
});

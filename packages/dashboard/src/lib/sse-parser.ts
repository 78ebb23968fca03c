/** One message from a `text/event-stream`. */
export interface ServerSentMessage {
  /** The `id:` of the message, or the last id seen on the stream before it. */
  id: string | undefined;
  /** The `event:` field; `message` when absent. */
  event: string;
  /** The `data:` lines, joined with newlines. */
  data: string;
}

/**
 * An incremental parser for the `text/event-stream` format, fed with text chunks as they arrive
 * from a stream reader. Chunks may split lines anywhere, including between `\r` and `\n`.
 */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #hasData = false;
  #lastId: string | undefined;

  /** The last `id:` seen, to send back as `Last-Event-ID` when reconnecting. */
  get lastEventId(): string | undefined {
    return this.#lastId;
  }

  /** Feeds a chunk of text and returns the messages it completed. */
  feed(chunk: string): ServerSentMessage[] {
    this.#buffer += chunk;
    const messages: ServerSentMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      if (!match) break;
      // A lone trailing \r may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.#buffer.length - 1) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const message = this.#line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  #line(line: string): ServerSentMessage | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.#data.push(value);
      this.#hasData = true;
    } else if (field === 'event') {
      this.#event = value;
    } else if (field === 'id' && !value.includes('\0')) {
      this.#lastId = value;
    }
    return undefined;
  }

  #dispatch(): ServerSentMessage | undefined {
    const message = this.#hasData
      ? { id: this.#lastId, event: this.#event || 'message', data: this.#data.join('\n') }
      : undefined;
    this.#data = [];
    this.#event = '';
    this.#hasData = false;
    return message;
  }
}

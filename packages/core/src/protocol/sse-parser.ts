/** One dispatched server-sent event. */
export interface SseMessage {
  /** The `event:` field; `message` when absent. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last event id seen on the stream so far (what `Last-Event-ID` should carry). */
  lastEventId: string;
}

/** Options of {@link SseParser}. */
export interface SseParserOptions {
  /**
   * Called with the text of each comment line (after the `:`, one leading space removed), such as
   * the server's keep-alives; the specification ignores comments, so by default nothing sees them.
   */
  onComment?: (text: string) => void;
}

/**
 * An incremental `text/event-stream` parser, per the WHATWG HTML specification: `\n`, `\r\n`
 * and `\r` line ends (also split across chunks), comments, multi-line `data`, `id` (ignored when
 * it holds a NUL), `retry` (digits only), and events with no data are not dispatched. Plain
 * JavaScript with no imports, so the client, the CLI, the tests and the dashboard share it.
 */
export class SseParser {
  /** The last event id, sticky across events as the specification requires. */
  lastEventId = '';
  /** The server's `retry:` reconnection delay in milliseconds, when it sent one. */
  retryMs: number | undefined;
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #hasData = false;
  #pendingCarriageReturn = false;
  #started = false;
  readonly #onComment: ((text: string) => void) | undefined;

  constructor(options: SseParserOptions = {}) {
    this.#onComment = options.onComment;
  }

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseMessage[] {
    let chunk = text;
    if (!this.#started && chunk.length > 0) {
      this.#started = true;
      if (chunk.startsWith('\uFEFF')) chunk = chunk.slice(1);
    }
    // A "\r" at the end of the previous chunk already ended its line; skip a "\n" that follows it.
    if (this.#pendingCarriageReturn && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.#pendingCarriageReturn = false;
    this.#buffer += chunk;
    const messages: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const end = this.#lineEnd(start);
      if (end === -1) break;
      const line = this.#buffer.slice(start, end);
      const isCr = this.#buffer[end] === '\r';
      if (isCr && end + 1 === this.#buffer.length) this.#pendingCarriageReturn = true;
      start = end + (isCr && this.#buffer[end + 1] === '\n' ? 2 : 1);
      const message = this.#line(line);
      if (message) messages.push(message);
    }
    this.#buffer = this.#buffer.slice(start);
    return messages;
  }

  #lineEnd(from: number): number {
    for (let index = from; index < this.#buffer.length; index += 1) {
      const char = this.#buffer[index];
      if (char === '\n' || char === '\r') return index;
    }
    return -1;
  }

  #line(line: string): SseMessage | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) {
      this.#onComment?.(line.startsWith(': ') ? line.slice(2) : line.slice(1));
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  #dispatch(): SseMessage | undefined {
    const message = this.#hasData
      ? {
          event: this.#event || 'message',
          data: this.#data.join('\n'),
          lastEventId: this.lastEventId,
        }
      : undefined;
    this.#event = '';
    this.#data = [];
    this.#hasData = false;
    return message;
  }
}

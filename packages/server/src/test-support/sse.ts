import { SseParser } from '@countersign/core/protocol';

/** One parsed Server-Sent Events message. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
  /** The text of a comment line (`: keep-alive` gives `keep-alive`). */
  comment?: string;
}

/** Reads an SSE response with fetch; `next()` resolves with each message, comments included as `event: 'comment'`. */
export async function openSse(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const queue: SseMessage[] = [];
  const waiters: ((message: SseMessage) => void)[] = [];
  const watchers = new Set<(message: SseMessage) => void>();
  const push = (message: SseMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else {
      queue.push(message);
      for (const watcher of watchers) watcher(message);
    }
  };
  const parser = new SseParser({
    onComment: (text) => push({ event: 'comment', data: text, comment: text.trim() }),
  });
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
          push({
            data: message.data,
            ...(message.lastEventId ? { id: message.lastEventId } : {}),
            event: message.event,
          });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: response.status,
    /** The next non-comment message. */
    async next(timeoutMs = 5000): Promise<SseMessage> {
      for (;;) {
        const message =
          queue.shift() ??
          (await new Promise<SseMessage>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('No SSE message in time')), timeoutMs);
            waiters.push((value) => {
              clearTimeout(timer);
              resolve(value);
            });
          }));
        if (message.event !== 'comment') return message;
      }
    },
    /** Resolves when the server ends the stream (or it is aborted). */
    ended,
    /** Resolves once a message matching `predicate` is queued, leaving it for `drain()`. */
    queued(predicate: (message: SseMessage) => boolean, timeoutMs = 5000): Promise<void> {
      if (queue.some(predicate)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const watcher = (message: SseMessage) => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          watchers.delete(watcher);
          resolve();
        };
        const timer = setTimeout(() => {
          watchers.delete(watcher);
          reject(new Error('No matching SSE message in time'));
        }, timeoutMs);
        watchers.add(watcher);
      });
    },
    /** Every message seen so far, comments included. */
    drain(): SseMessage[] {
      return queue.splice(0);
    },
    close: () => controller.abort(),
  };
}

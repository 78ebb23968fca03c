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
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) {
              message.event = 'comment';
              message.comment = line.slice(1).trim();
            } else if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          message.data = data.join('\n');
          push(message);
          end = buffer.indexOf('\n\n');
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

import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback pass-through in front of a real server that counts the requests going through. */
export interface CountingForwarder {
  /** Point clients here instead of at the server. */
  url: string;
  /** Resolves once `count` requests whose `METHOD path` matches `pattern` have been answered. */
  answered(pattern: RegExp, count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Forwards every request unchanged to `target` (the real server answers; nothing is mocked) and
 * counts the answered ones, so a test can wait for "the script has polled twice" instead of a time.
 */
export async function startCountingForwarder(target: string): Promise<CountingForwarder> {
  const seen: string[] = [];
  const watchers = new Set<() => void>();
  const server = createServer((incoming, outgoing) => {
    const line = `${incoming.method} ${incoming.url}`;
    const upstream = forward(
      new URL(incoming.url ?? '/', target),
      { method: incoming.method, headers: incoming.headers },
      (reply) => {
        outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(outgoing);
        reply.once('end', () => {
          seen.push(line);
          for (const watcher of watchers) watcher();
        });
      },
    );
    upstream.once('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered(pattern, count, timeoutMs = 10_000) {
      const enough = () => seen.filter((line) => pattern.test(line)).length >= count;
      if (enough()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const watcher = () => {
          if (!enough()) return;
          stop();
          resolve();
        };
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`Fewer than ${count} answered requests matched ${pattern}`));
        }, timeoutMs);
        const stop = () => {
          clearTimeout(timer);
          watchers.delete(watcher);
        };
        watchers.add(watcher);
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

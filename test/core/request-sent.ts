import { subscribe, unsubscribe } from 'node:diagnostics_channel';

const SEND_HEADERS = 'undici:client:sendHeaders';

/**
 * Resolves once undici (the client's HTTP stack) writes the headers of a request whose path
 * matches `path` to its socket: the request is on the wire, not merely scheduled. Tests wait for
 * this before killing a server "while a long-poll is in flight".
 */
export function requestSent(path: RegExp, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (message: unknown) => {
      const { request } = message as { request: { path: string } };
      if (!path.test(request.path)) return;
      stop();
      resolve();
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`No request to ${path} was sent within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = () => {
      clearTimeout(timer);
      unsubscribe(SEND_HEADERS, listener);
    };
    subscribe(SEND_HEADERS, listener);
  });
}

import { afterEach } from 'vitest';
import {
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../test/start-test-server.js';

/** A JSON call's answer as the live-route tests read it. */
export interface CallAnswer {
  status: number;
  retryAfter: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: tests read replies loosely
  body: any;
}

/** JSON calls against a test server, and a wait for its bus to hold some listeners. */
export function serverCalls(server: TestServer) {
  const send = async (
    headers: Record<string, string>,
    method: string,
    path: string,
    body: unknown,
  ): Promise<CallAnswer> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: text ? JSON.parse(text) : undefined,
    };
  };
  return {
    call: (key: string | undefined, method: string, path: string, body?: unknown) =>
      send(key ? { authorization: `Bearer ${key}` } : {}, method, path, body),
    /** A call to an AXME route the way the AXME SDKs make it: the key as `x-api-key`. */
    axme: (key: string, method: string, path: string, body?: unknown) =>
      send({ 'x-api-key': key }, method, path, body),
    /** The id part of a `csk_<id>_<secret>` key. */
    keyId: (key: string) => key.split('_')[1] as string,
    /** Resolves once the bus holds at least `count` listeners (long-polls and streams). */
    async listening(count: number): Promise<void> {
      while (server.server.context.bus.size < count) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

/** For a test file: `start` opens a test server (closed after each test) with its calls. */
export function useServerCalls() {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (options: TestServerOptions = {}) => {
    server = await startTestServer(options);
    return { server, ...serverCalls(server) };
  };
}

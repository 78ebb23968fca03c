import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CountersignError, ServiceUnavailableError } from '../errors/index.js';
import type { ApprovalRequest } from '../protocol/index.js';
import {
  type ScriptedServer,
  sampleRequest,
  sendError,
  sendJson,
  startScriptedServer,
} from '../test-support/scripted-http-server.js';
import { CountersignClient } from './countersign-client.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A retry budget that one short outage exhausts: only the reconnect window rides it out. */
const RETRY = { maxRetries: 1, initialDelayMs: 2, maxDelayMs: 10 } as const;

interface Outage {
  /** What `/events` does; default: the connection is cut. */
  onStream?: (response: ServerResponse) => void;
  /** Answers poll number `n` (0-based), or cuts it when `undefined` comes back. */
  onWait: (poll: number) => ApprovalRequest | 503 | undefined;
}

async function serverWith(outage: Outage): Promise<string> {
  let polls = 0;
  server = await startScriptedServer((request, response) => {
    if (request.url.endsWith('/events')) {
      (outage.onStream ?? ((stream) => stream.destroy()))(response);
      return;
    }
    const answer = outage.onWait(polls++);
    if (answer === undefined) response.destroy();
    else if (answer === 503) sendError(response, 503, 'service_unavailable');
    else sendJson(response, 200, answer);
  });
  return server.url;
}

const paths = (): string[] =>
  (server?.requests ?? []).map((request) => request.url.replace('/v1/requests/req_1', ''));

describe('CountersignClient.wait through a server outage', () => {
  it('long-poll: keeps polling through 503s and cut connections past the retry budget', async () => {
    const baseUrl = await serverWith({
      onWait: (poll) =>
        poll < 8 ? (poll % 2 ? 503 : undefined) : sampleRequest({ status: 'approved' }),
    });
    const client = new CountersignClient({ baseUrl, retry: RETRY });
    const done = await client.wait('req_1', { transport: 'long-poll' });
    expect(done.status).toBe('approved');
    expect(paths().filter((path) => path.startsWith('/wait'))).toHaveLength(9);
  });

  it('auto: an event stream that keeps failing falls back to long-polling', async () => {
    const baseUrl = await serverWith({ onWait: () => sampleRequest({ status: 'rejected' }) });
    const client = new CountersignClient({ baseUrl, retry: RETRY });
    expect((await client.wait('req_1')).status).toBe('rejected');
    expect(paths().slice(0, 2)).toEqual(['/events', '/events']);
    expect(paths().at(-1)).toMatch(/^\/wait\?timeout=/);
  });

  it('sse only: reconnects the stream until it comes back', async () => {
    let connections = 0;
    const baseUrl = await serverWith({
      onStream: (response) => {
        connections += 1;
        if (connections < 6) response.destroy();
        else sendError(response, 404, 'not_found');
      },
      onWait: () => sampleRequest({ status: 'approved' }),
    });
    const client = new CountersignClient({ baseUrl, retry: RETRY });
    // The stream is back but unsupported: with `sse` that is an error, not an outage.
    await expect(client.wait('req_1', { transport: 'sse' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(connections).toBe(6);
  });

  it('fails closed as unavailable once the reconnect window passes, saying how long', async () => {
    const baseUrl = await serverWith({ onWait: () => 503 });
    const client = new CountersignClient({ baseUrl, retry: RETRY, reconnectWindowMs: 50 });
    const error = await client.wait('req_1', { transport: 'long-poll' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as CountersignError).details).toMatchObject({
      requestId: 'req_1',
      reconnectWindowMs: 50,
    });
    expect((error as CountersignError).message).toContain('gave up');
    expect(paths().length).toBeGreaterThan(2);
  });

  it("never waits past the request's deadline", async () => {
    const deadline = new Date(Date.now() + 100).toISOString();
    const baseUrl = await serverWith({
      onWait: (poll) => (poll === 0 ? sampleRequest({ status: 'pending', deadline }) : 503),
    });
    // The default window is 30 s; the deadline ends the wait long before (the test's own timeout).
    const client = new CountersignClient({ baseUrl, retry: RETRY });
    const error = await client.wait('req_1', { transport: 'long-poll' }).catch((e: unknown) => e);
    expect(CountersignError.hasCode(error, 'service_unavailable')).toBe(true);
    expect((error as CountersignError).details.downForMs).toBeLessThan(30_000);
  });

  it('refuses a negative reconnect window at construction', () => {
    expect(
      () => new CountersignClient({ baseUrl: 'http://127.0.0.1:1', reconnectWindowMs: -1 }),
    ).toThrow(/reconnectWindowMs/);
  });
});

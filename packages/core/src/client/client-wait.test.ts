import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, InvalidResponseError, ServiceUnavailableError } from '../errors/index.js';
import type { RequestEvent, RequestStatus } from '../protocol/index.js';
import {
  openEventStream,
  type RecordedRequest,
  type ScriptedServer,
  sampleEvent,
  sampleRequest,
  sendError,
  sendJson,
  startScriptedServer,
  writeEvent,
} from '../test-support/scripted-http-server.js';
import { CountersignClient } from './countersign-client.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A scripted Countersign: `status` is what GET and long-poll answer; `onStream` runs per SSE connection. */
interface Script {
  status: RequestStatus;
  onStream?: (response: ServerResponse, connection: number, request: RecordedRequest) => void;
  onWait?: (response: ServerResponse, poll: number) => void;
  /** Runs after each answered `GET /v1/requests/req_1`, with its number (0 first). */
  onRead?: (read: number) => void;
}

async function scripted(script: Script, reconnectWindowMs?: number): Promise<CountersignClient> {
  let connections = 0;
  let polls = 0;
  let reads = 0;
  server = await startScriptedServer((request, response) => {
    if (request.url === '/v1/requests/req_1/events') {
      if (script.onStream) script.onStream(response, connections++, request);
      else sendError(response, 404, 'not_found');
    } else if (request.url.startsWith('/v1/requests/req_1/wait')) {
      if (script.onWait) script.onWait(response, polls++);
      else sendJson(response, 200, sampleRequest({ status: script.status }));
    } else if (request.url === '/v1/requests/req_1') {
      sendJson(response, 200, sampleRequest({ status: script.status }));
      script.onRead?.(reads++);
    } else sendError(response, 404, 'not_found');
  });
  return new CountersignClient({
    baseUrl: server.url,
    retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20 },
    ...(reconnectWindowMs === undefined ? {} : { reconnectWindowMs }),
  });
}

const paths = (): string[] =>
  (server?.requests ?? []).map((request) => request.url.replace('/v1/requests/req_1', ''));

describe('CountersignClient.wait over SSE', () => {
  it('resolves on the first terminal event and reports every event', async () => {
    const client = await scripted({
      status: 'pending',
      onStream: (response) => {
        openEventStream(response);
        response.write(': keep-alive\n\n');
        writeEvent(response, sampleEvent(2, 'pending'));
        setTimeout(() => writeEvent(response, sampleEvent(3, 'approved')), 10);
      },
    });
    const seen: RequestEvent[] = [];
    const done = await client.wait('req_1', { onEvent: (event) => seen.push(event) });
    expect(done.status).toBe('approved');
    expect(seen.map((event) => event.seq)).toEqual([2, 3]);
    expect(paths()).toEqual(['/events', '']);
    expect(server?.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('returns at once when the request was decided before the stream opened', async () => {
    const client = await scripted({ status: 'rejected', onStream: openEventStream });
    expect((await client.wait('req_1')).status).toBe('rejected');
  });

  it('survives a dropped stream: reconnects with Last-Event-ID and reads the decision made meanwhile', async () => {
    let firstStream: ServerResponse | undefined;
    const script: Script = {
      status: 'pending',
      onStream: (response, connection) => {
        openEventStream(response);
        if (connection > 0) return; // The new stream replays nothing: only the re-read can see the decision.
        writeEvent(response, sampleEvent(1, 'pending'));
        firstStream = response;
      },
      // Decided, and the stream dropped, only once the client has read the request as pending.
      onRead: (read) => {
        if (read > 0) return;
        script.status = 'approved';
        firstStream?.end();
      },
    };
    const client = await scripted(script);
    const done = await client.wait('req_1', { transport: 'sse' });
    expect(done.status).toBe('approved');
    expect(paths()).toEqual(['/events', '', '/events', '']);
    expect(server?.requests[2]?.headers['last-event-id']).toBe('req_1:1');
  });

  it('reconnects a stream that goes silent for longer than sseIdleTimeoutMs', async () => {
    const script: Script = {
      status: 'pending',
      onStream: (response, connection) => {
        openEventStream(response);
        if (connection > 0) script.status = 'approved';
      },
    };
    await scripted(script);
    const client = new CountersignClient({
      baseUrl: server?.url,
      sseIdleTimeoutMs: 50,
      retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5 },
    });
    expect((await client.wait('req_1')).status).toBe('approved');
    expect(paths()).toEqual(['/events', '', '/events', '']);
  });

  it('waits at least the server-sent retry delay before reconnecting', async () => {
    const times: number[] = [];
    const script: Script = {
      status: 'pending',
      onStream: (response, connection) => {
        times.push(performance.now());
        openEventStream(response);
        if (connection > 0) {
          script.status = 'approved';
          return;
        }
        // Ended, not destroyed: the client reads the retry field before it sees the stream close.
        response.end('retry: 60\n\n');
      },
    };
    await scripted(script);
    const client = new CountersignClient({
      baseUrl: server?.url,
      retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 500 },
    });
    expect((await client.wait('req_1')).status).toBe('approved');
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(55);
  });

  it('rejects an event that is not the protocol', async () => {
    const client = await scripted({
      status: 'pending',
      onStream: (response) => {
        openEventStream(response);
        response.write('id: 1\nevent: decided\ndata: {"type":"decided"}\n\n');
      },
    });
    await expect(client.wait('req_1')).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('rejects with the error of a throwing onEvent instead of reconnecting', async () => {
    const client = await scripted({
      status: 'pending',
      onStream: (response) => {
        openEventStream(response);
        writeEvent(response, sampleEvent(2, 'pending'));
      },
    });
    const boom = new Error('listener failed');
    const onEvent = () => {
      throw boom;
    };
    await expect(client.wait('req_1', { onEvent })).rejects.toBe(boom);
    expect(paths()).toEqual(['/events', '']);
  });

  it('does not fall back on an authentication error', async () => {
    const client = await scripted({
      status: 'approved',
      onStream: (response) => sendError(response, 401, 'unauthorized'),
    });
    await expect(client.wait('req_1')).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    expect(paths()).toEqual(['/events']);
  });

  it('rejects as unavailable once reconnects outlast the retry budget', async () => {
    // No reconnect window: the retry budget alone (outages: outage-wait.test.ts).
    const client = await scripted(
      { status: 'pending', onStream: (response) => response.destroy() },
      0,
    );
    await expect(client.wait('req_1')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(paths().filter((path) => path === '/events')).toHaveLength(4);
  });

  it('resolves still pending when timeoutMs passes', async () => {
    const client = await scripted({ status: 'pending', onStream: openEventStream });
    const started = performance.now();
    const done = await client.wait('req_1', { timeoutMs: 60 });
    expect(done.status).toBe('pending');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(paths()).toEqual(['/events', '', '']);
  });

  it('rejects with aborted when the signal fires mid-wait', async () => {
    const client = await scripted({ status: 'pending', onStream: openEventStream });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user gave up')), 30);
    await expect(client.wait('req_1', { signal: controller.signal })).rejects.toMatchObject({
      code: 'aborted',
    });
  });
});

describe('CountersignClient.wait over long-poll', () => {
  it('falls back to long-polling when the server has no event stream (404)', async () => {
    const client = await scripted({ status: 'approved' });
    expect((await client.wait('req_1')).status).toBe('approved');
    expect(paths()).toEqual(['/events', '/wait?timeout=25']);
  });

  it('falls back when the stream answers with another content type', async () => {
    const client = await scripted({
      status: 'answered',
      onStream: (response) => sendJson(response, 200, sampleRequest()),
    });
    expect((await client.wait('req_1')).status).toBe('answered');
    expect(paths()).toEqual(['/events', '/wait?timeout=25']);
  });

  it('does not fall back when SSE alone was asked for', async () => {
    const client = await scripted({ status: 'approved' });
    await expect(client.wait('req_1', { transport: 'sse' })).rejects.toBeInstanceOf(ApiError);
  });

  it('polls until terminal, asking no longer than the time left', async () => {
    const client = await scripted({
      status: 'pending',
      onWait: (response, poll) =>
        sendJson(response, 200, sampleRequest({ status: poll < 2 ? 'pending' : 'expired' })),
    });
    const done = await client.wait('req_1', { transport: 'long-poll', timeoutMs: 4_500 });
    expect(done.status).toBe('expired');
    expect(paths()).toEqual(['/wait?timeout=5', '/wait?timeout=5', '/wait?timeout=5']);
  });

  it('retries a failed poll and rejects when failures outlast the budget', async () => {
    const client = await scripted(
      { status: 'pending', onWait: (response) => sendError(response, 503, 'service_unavailable') },
      0,
    );
    await expect(client.wait('req_1', { transport: 'long-poll' })).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(paths()).toHaveLength(4);
  });

  it('resolves still pending on timeout and rejects on abort', async () => {
    const client = await scripted({ status: 'pending', onWait: () => undefined });
    const pending = await client.wait('req_1', { transport: 'long-poll', timeoutMs: 40 });
    expect(pending.status).toBe('pending');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(
      client.wait('req_1', { transport: 'long-poll', signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'aborted' });
  });
});

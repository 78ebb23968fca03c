import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, ServiceUnavailableError } from '../errors/index.js';
import {
  type ScriptedHandler,
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

const fast = { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 20 };

async function clientFor(
  handler: ScriptedHandler,
  retry = fast,
): Promise<[CountersignClient, ScriptedServer]> {
  server = await startScriptedServer(handler);
  return [new CountersignClient({ baseUrl: server.url, apiKey: 'k', retry }), server];
}

/** Fails the first `failures` requests with `status`, then answers with a request. */
function failThenSucceed(failures: number, status: number, headers: Record<string, string> = {}) {
  const times: number[] = [];
  const handler: ScriptedHandler = (_request, response, index) => {
    times.push(performance.now());
    if (index < failures)
      sendJson(
        response,
        status,
        { error: { code: 'internal', message: 'x', details: {} } },
        headers,
      );
    else sendJson(response, 200, sampleRequest());
  };
  return { handler, times };
}

async function freePortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('CountersignClient retries', () => {
  it('retries a GET on 503, 502, 429 and 408 until it succeeds', async () => {
    for (const status of [503, 502, 429, 408]) {
      const { handler } = failThenSucceed(2, status);
      const [client, scripted] = await clientFor(handler);
      expect((await client.get('req_1')).id).toBe('req_1');
      expect(scripted.requests).toHaveLength(3);
      await scripted.close();
      server = undefined;
    }
  });

  it('gives up after maxRetries with a ServiceUnavailableError carrying the cause', async () => {
    const { handler } = failThenSucceed(10, 503);
    const [client, scripted] = await clientFor(handler, { ...fast, maxRetries: 2 });
    const error = await client.get('req_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).details).toMatchObject({ status: 503, attempts: 3 });
    expect((error as Error).cause).toBeInstanceOf(ApiError);
    expect(scripted.requests).toHaveLength(3);
  });

  it('honours Retry-After in seconds, capped by maxDelayMs', async () => {
    const { handler, times } = failThenSucceed(1, 503, { 'retry-after': '120' });
    const [client] = await clientFor(handler, { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 80 });
    await client.get('req_1');
    const gap = (times[1] ?? 0) - (times[0] ?? 0);
    expect(gap).toBeGreaterThanOrEqual(75);
    expect(gap).toBeLessThan(1_000);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 1_500).toUTCString();
    const { handler, times } = failThenSucceed(1, 429, { 'retry-after': at });
    const [client] = await clientFor(handler, { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 60 });
    await client.get('req_1');
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(55);
  });

  it('retries a create only when it carries an idempotency key', async () => {
    const once = failThenSucceed(1, 503);
    const [client, scripted] = await clientFor(once.handler);
    await expect(client.create({ action: 'Deploy' })).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(scripted.requests).toHaveLength(1);
    await scripted.close();
    const keyed = failThenSucceed(1, 503);
    const [keyedClient, keyedServer] = await clientFor(keyed.handler);
    await keyedClient.create({ action: 'Deploy' }, { idempotencyKey: 'k1' });
    expect(keyedServer.requests.map((request) => request.headers['idempotency-key'])).toEqual([
      'k1',
      'k1',
    ]);
  });

  it('retries decisions and cancels only with expectedVersion', async () => {
    const bare = failThenSucceed(1, 500);
    const [client, scripted] = await clientFor(bare.handler);
    await expect(client.decide('req_1', { outcome: 'approve' })).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    await client.cancel('req_1');
    expect(scripted.requests).toHaveLength(2);
    await scripted.close();
    const versioned = failThenSucceed(1, 500);
    const [versionedClient, versionedServer] = await clientFor(versioned.handler);
    await versionedClient.decide('req_1', { outcome: 'approve', expectedVersion: 1 });
    expect(versionedServer.requests).toHaveLength(2);
  });

  it('retries any call on 429, since the server did not act on it', async () => {
    const limited = failThenSucceed(1, 429);
    const [client, scripted] = await clientFor(limited.handler);
    await client.create({ action: 'Deploy' });
    expect(scripted.requests).toHaveLength(2);
  });

  it('never retries a 4xx API error', async () => {
    const [client, scripted] = await clientFor((_request, response) =>
      sendError(response, 409, 'already_decided'),
    );
    const error = await client.get('req_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'already_decided', status: 409 });
    expect(scripted.requests).toHaveLength(1);
  });

  it('treats a refused connection as unavailable, after retrying even a plain create', async () => {
    const client = new CountersignClient({ baseUrl: await freePortUrl(), retry: fast });
    const error = await client.create({ action: 'Deploy' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).details.attempts).toBe(4);
    expect((error as Error).cause).toBeDefined();
  });

  it('times out a silent server per attempt', async () => {
    const [, scripted] = await clientFor(() => undefined);
    const client = new CountersignClient({
      baseUrl: scripted.url,
      requestTimeoutMs: 30,
      retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 },
    });
    const error = await client.get('req_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toMatch(/did not answer within 30 ms/);
    expect(scripted.requests).toHaveLength(2);
  });

  it('rejects with aborted when the signal fires during a backoff', async () => {
    const { handler } = failThenSucceed(10, 503);
    const [client] = await clientFor(handler, {
      maxRetries: 5,
      initialDelayMs: 5_000,
      maxDelayMs: 5_000,
    });
    const controller = new AbortController();
    const pending = client.get('req_1', { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });
});

import { describe, expect, it } from 'vitest';
import type { TestServer } from '../test/start-test-server.js';
import { intentBody } from '../test-support/axme-calls.js';
import { serverCalls, useServerCalls } from '../test-support/server-calls.js';
import { openSse } from '../test-support/sse.js';

const start = useServerCalls();

const axme = (server: TestServer, key: string, method: string, path: string, body?: unknown) =>
  serverCalls(server).axme(key, method, path, body);

async function createIntent(server: TestServer, agent: string): Promise<string> {
  const created = await axme(
    server,
    agent,
    'POST',
    '/v1/intents',
    intentBody({ human_task: { title: 'Approve', task_type: 'approval', assignees: ['alice'] } }),
  );
  expect(created.status).toBe(200);
  return created.body.intent_id;
}

const streamOf = (server: TestServer, key: string, id: string) =>
  openSse(`${server.url}/v1/intents/${id}/events/stream?wait_seconds=60`, { 'x-api-key': key });

/** Reads the stream up to its `intent.waiting` event (the replay of a fresh human task). */
async function untilWaiting(stream: Awaited<ReturnType<typeof streamOf>>): Promise<void> {
  while ((await stream.next()).event !== 'intent.waiting');
}

describe('AXME event stream: live access', () => {
  it('ends the open stream of a revoked key before the next event is sent', async () => {
    const { server, call, keyId } = await start();
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const alice = await server.createKey({ role: 'reviewer', name: 'alice' });
    const id = await createIntent(server, agent);
    const stream = await streamOf(server, agent, id);
    expect(stream.status).toBe(200);
    await untilWaiting(stream);

    expect((await call(server.adminKey, 'DELETE', `/v1/keys/${keyId(agent)}`)).status).toBe(204);
    expect((await axme(server, alice, 'POST', `/v1/inbox/${id}/approve`, {})).status).toBe(200);
    await stream.ended;
    expect(stream.drain().filter((message) => message.event !== 'comment')).toEqual([]);
    expect((await axme(server, agent, 'GET', `/v1/intents/${id}/events/stream`)).status).toBe(401);
  });

  it('ends the stream of a reviewer taken off the assignees, without the change or the decision', async () => {
    const { server } = await start();
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const alice = await server.createKey({ role: 'reviewer', name: 'alice' });
    const bob = await server.createKey({ role: 'reviewer', name: 'bob' });
    const id = await createIntent(server, agent);
    const stream = await streamOf(server, alice, id);
    await untilWaiting(stream);

    const patched = await axme(server, agent, 'POST', `/v1/intents/${id}/policy`, {
      grants_patch: { assignees: ['bob'] },
    });
    expect(patched.status).toBe(200);
    expect(
      (await axme(server, bob, 'POST', `/v1/inbox/${id}/approve`, { comment: 'secret' })).status,
    ).toBe(200);
    await stream.ended;
    const seen = stream.drain().filter((message) => message.event !== 'comment');
    expect(seen).toEqual([]);
  });

  it('holds a slot of the per-key wait cap, shared with the /v1 waits', async () => {
    const { server, call, listening } = await start({ limits: { maxConcurrentWaitsPerKey: 1 } });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const id = await createIntent(server, agent);
    const stream = await streamOf(server, agent, id);
    await untilWaiting(stream);
    await listening(1);

    const refused = await axme(server, agent, 'GET', `/v1/intents/${id}/events/stream`);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.detail).toBe(refused.body.error.message);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    const intent = await axme(server, agent, 'GET', `/v1/intents/${id}`);
    const requestId = intent.body.intent.countersign_request_id;
    expect((await call(agent, 'GET', `/v1/requests/${requestId}/wait?timeout=1`)).status).toBe(429);

    // A closed stream frees its slot.
    stream.close();
    await stream.ended;
    while (server.server.context.bus.size > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await call(agent, 'GET', `/v1/requests/${requestId}/wait?timeout=0`)).status).toBe(200);
  });
});

describe('AXME routes: request limits', () => {
  it('limits a key over its request rate with 429, Retry-After and the AXME error body', async () => {
    const { server } = await start({ limits: { keyRequestsPerSecond: 0.001, keyRequestBurst: 2 } });
    const busy = await server.createKey({ role: 'agent', name: 'busy' });
    const other = await server.createKey({ role: 'agent', name: 'other' });
    expect((await axme(server, busy, 'GET', '/v1/capabilities')).status).toBe(200);
    expect((await axme(server, busy, 'GET', '/v1/inbox')).status).toBe(200);
    for (const path of ['/v1/capabilities', '/v1/inbox', '/v1/inbox/changes']) {
      const refused = await axme(server, busy, 'GET', path);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(refused.body.detail).toBe(refused.body.error.message);
      expect(refused.retryAfter).toBe(String(refused.body.error.details.retryAfterSeconds));
    }
    expect((await axme(server, other, 'GET', '/v1/inbox')).status).toBe(200);
  });

  it('limits failed authentication per client address, a missing key included', async () => {
    const { server } = await start({
      limits: { unauthenticatedRequestsPerSecond: 0.001, unauthenticatedRequestBurst: 2 },
    });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const wrong = `${agent.slice(0, -4)}AAAA`;
    expect((await axme(server, wrong, 'GET', '/v1/inbox')).status).toBe(401);
    expect((await fetch(`${server.url}/v1/capabilities`)).status).toBe(401);
    const refused = await axme(
      server,
      wrong,
      'GET',
      '/v1/intents/00000000-0000-4000-8000-000000000000',
    );
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toBe(refused.body.error.message);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await axme(server, agent, 'GET', '/v1/inbox')).status).toBe(200);
  });
});

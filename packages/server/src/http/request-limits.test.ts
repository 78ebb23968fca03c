import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import { useServerCalls } from '../test-support/server-calls.js';
import { openSse } from '../test-support/sse.js';
import { createApp } from './app.js';
import { RateLimiter } from './rate-limiter.js';

const start = useServerCalls();

describe('open waits per key', () => {
  it('refuses a key over its cap with 429 and Retry-After, while other keys create and wait', async () => {
    const { server, call, listening } = await start({ limits: { maxConcurrentWaitsPerKey: 3 } });
    const greedy = await server.createKey({ role: 'agent', name: 'greedy' });
    const other = await server.createKey({ role: 'agent', name: 'other' });
    const { id } = (await call(greedy, 'POST', '/v1/requests', { action: 'hold' })).body;
    const polls = [1, 2].map(() => call(greedy, 'GET', `/v1/requests/${id}/wait?timeout=60`));
    const stream = await openSse(`${server.url}/v1/requests/${id}/events`, {
      authorization: `Bearer ${greedy}`,
    });
    expect(stream.status).toBe(200);
    await listening(3);

    for (const path of [
      `/v1/requests/${id}/wait?timeout=1`,
      `/v1/requests/${id}/events`,
      '/v1/events',
    ]) {
      const refused = await call(greedy, 'GET', path);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
    const created = await call(other, 'POST', '/v1/requests', { action: 'still fine' });
    expect(created.status).toBe(201);
    expect(
      (await call(other, 'GET', `/v1/requests/${created.body.id}/wait?timeout=0`)).status,
    ).toBe(200);
    // Creating is not a wait: the greedy key still creates.
    expect((await call(greedy, 'POST', '/v1/requests', { action: 'more' })).status).toBe(201);

    // A closed wait frees its slot.
    stream.close();
    await stream.ended;
    while (server.server.context.bus.size > 2)
      await new Promise((resolve) => setImmediate(resolve));
    expect((await call(greedy, 'GET', `/v1/requests/${id}/wait?timeout=0`)).status).toBe(200);
    await call(server.adminKey, 'POST', `/v1/requests/${id}/cancel`, {});
    for (const poll of await Promise.all(polls)) expect(poll.status).toBe(200);
  });
});

describe('request rate', () => {
  it('limits each key on its own, on the Hono routes and the fast path alike', async () => {
    const { server, call } = await start({
      limits: { keyRequestsPerSecond: 0.001, keyRequestBurst: 3 },
    });
    const busy = await server.createKey({ role: 'agent', name: 'busy' });
    const other = await server.createKey({ role: 'agent', name: 'other' });
    for (let index = 0; index < 3; index++)
      expect((await call(busy, 'GET', '/v1/me')).status).toBe(200);
    for (const path of ['/v1/me', '/v1/requests', '/v1/events']) {
      const refused = await call(busy, 'GET', path);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(refused.retryAfter).toBe(String(refused.body.error.details.retryAfterSeconds));
    }
    expect((await call(other, 'POST', '/v1/requests', { action: 'unaffected' })).status).toBe(201);
  });

  it('limits failed authentication per client address, never a valid key from it', async () => {
    const { server, call } = await start({
      limits: { unauthenticatedRequestsPerSecond: 0.001, unauthenticatedRequestBurst: 2 },
    });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const wrong = `${agent.slice(0, -4)}AAAA`;
    expect((await call(wrong, 'GET', '/v1/me')).status).toBe(401);
    expect((await call(undefined, 'GET', '/v1/events')).status).toBe(401);
    for (const path of ['/v1/requests', '/v1/events']) {
      const refused = await call(wrong, 'GET', path);
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
    expect((await call(agent, 'GET', '/v1/me')).status).toBe(200);
    expect((await call(undefined, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('limit options', () => {
  it('refuses bad limits when the app is built', () => {
    const directory = mkdtempSync(join(tmpdir(), 'countersign-limits-'));
    const store = openSqliteStore({ path: join(directory, 'limits.db') });
    try {
      for (const limits of [
        { keyRequestsPerSecond: 0 },
        { keyRequestBurst: 0.5 },
        { unauthenticatedRequestsPerSecond: Number.NaN },
        { maxConcurrentWaitsPerKey: 0 },
        { keyRecheckMs: 1 },
      ]) {
        expect(() => createApp({ store, limits })).toThrow(
          expect.objectContaining({ code: 'validation_failed' }),
        );
      }
      expect(() => createApp({ store, limits: { keyRequestsPerSecond: Infinity } })).not.toThrow();
    } finally {
      void store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refills a bucket at its rate and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 2, () => now);
    expect([limiter.take('k'), limiter.take('k')]).toEqual([0, 0]);
    expect(limiter.take('k')).toBe(1);
    expect(limiter.take('other')).toBe(0);
    now = 500;
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(1);
    now = 60_000;
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([0, 0, 1]);
  });
});

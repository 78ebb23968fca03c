import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSse } from '../test-support/sse.js';
import { startTestServer, type TestServer } from './start-test-server.js';

let server: TestServer;
let agent: string;
let reviewer: string;
beforeEach(async () => {
  server = await startTestServer({ manualClock: true, keepAliveMs: 200 });
  agent = await server.createKey({ role: 'agent', name: 'bot' });
  reviewer = await server.createKey({ role: 'reviewer', name: 'alice', groups: ['ops'] });
});
afterEach(async () => {
  await server.close();
});

async function call(key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read replies loosely
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('startTestServer (real port, real SQLite)', () => {
  it('long-polls: returns the moment the request is decided', async () => {
    const { body } = await call(agent, 'POST', '/v1/requests', { action: 'X' });
    const started = Date.now();
    const waiting = call(agent, 'GET', `${body.links.wait}?timeout=30`);
    await server.waitForWaiters(1, { requestId: body.id });
    await call(reviewer, 'POST', `/v1/requests/${body.id}/decisions`, { outcome: 'approve' });
    const waited = await waiting;
    expect(waited.body.status).toBe('approved');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('long-polls: answers with the pending request when the timeout passes', async () => {
    const { body } = await call(agent, 'POST', '/v1/requests', { action: 'X' });
    const waited = await call(agent, 'GET', `${body.links.wait}?timeout=0.3`);
    expect(waited).toMatchObject({ status: 200, body: { status: 'pending' } });
    const tooLong = await call(agent, 'GET', `${body.links.wait}?timeout=61`);
    expect(tooLong.status).toBe(400);
  });

  it('streams events over SSE with keep-alives and resumes from Last-Event-ID', async () => {
    const { body } = await call(agent, 'POST', '/v1/requests', { action: 'X', timeout: '48h' });
    const headers = { authorization: `Bearer ${agent}` };
    const stream = await openSse(server.url + body.links.events, headers);
    const created = await stream.next();
    expect(created.event).toBe('created');
    expect(JSON.parse(created.data)).toMatchObject({ type: 'created', seq: 1, requestId: body.id });
    await call(agent, 'PATCH', `/v1/requests/${body.id}`, {
      expectedVersion: 1,
      assignees: ['group:ops'],
    });
    const updated = await stream.next();
    expect(updated.event).toBe('updated');
    await stream.queued((message) => message.comment === 'keep-alive');
    stream.close();
    expect(stream.drain().some((message) => message.event === 'comment')).toBe(true);

    await server.clock.advance(48 * 3_600_000);
    const resumed = await openSse(server.url + body.links.events, {
      ...headers,
      'last-event-id': created.id as string,
    });
    expect((await resumed.next()).event).toBe('updated');
    const expired = await resumed.next();
    expect(expired.event).toBe('expired');
    expect(JSON.parse(expired.data).request.status).toBe('expired');
    resumed.close();
  });

  it('streams /v1/events for what the caller may see', async () => {
    const stream = await openSse(`${server.url}/v1/events`, {
      authorization: `Bearer ${reviewer}`,
    });
    await server.waitForWaiters(1, { requestId: '*' });
    await call(agent, 'POST', '/v1/requests', { action: 'hidden', assignees: ['user:someone'] });
    const visible = await call(agent, 'POST', '/v1/requests', {
      action: 'visible',
      assignees: ['group:ops'],
    });
    const message = await stream.next();
    expect(JSON.parse(message.data).requestId).toBe(visible.body.id);
    stream.close();
  });

  it('creates keys and refuses unknown ones', async () => {
    const me = await call(server.adminKey, 'GET', '/v1/me');
    expect(me.body).toMatchObject({ role: 'admin', principal: 'user:admin' });
    const unknown = await call(`${agent}x`, 'GET', '/v1/me');
    expect(unknown.status).toBe(401);
  });

  it('answers the long-lived routes with the same JSON errors on the real port', async () => {
    const { body } = await call(agent, 'POST', '/v1/requests', { action: 'X' });
    const other = await server.createKey({ role: 'agent', name: 'other' });
    const cases: [string, string | undefined, Record<string, string>, number, string][] = [
      [`${body.links.wait}?timeout=1`, undefined, {}, 401, 'unauthorized'],
      [`${body.links.wait}?timeout=1`, other, {}, 404, 'not_found'],
      [`${body.links.wait}?timeout=abc`, agent, {}, 400, 'validation_failed'],
      [`${body.links.wait}?timeout=1&timeout=2`, agent, {}, 400, 'validation_failed'],
      [`${body.links.wait}?surprise=1`, agent, {}, 400, 'validation_failed'],
      [body.links.events, other, {}, 404, 'not_found'],
      [body.links.events, agent, { 'last-event-id': 'x' }, 400, 'validation_failed'],
      ['/v1/events', 'csk_nope', {}, 401, 'unauthorized'],
      ['/v1/requests/%E0%A4%A/wait', agent, {}, 404, 'not_found'],
    ];
    for (const [path, key, headers, status, code] of cases) {
      const response = await fetch(server.url + path, {
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      });
      const reply = (await response.json()) as { error: { code: string } };
      expect([path, response.status, reply.error.code]).toEqual([path, status, code]);
    }
  });

  it('resolves concurrent decisions exactly once: quorum met, the rest 409, the chain intact', async () => {
    const { body } = await call(agent, 'POST', '/v1/requests', { action: 'X', quorum: 3 });
    const reviewers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        server.createKey({ role: 'reviewer', name: `r${index}` }),
      ),
    );
    const results = await Promise.all(
      reviewers.map((key) =>
        call(key, 'POST', `/v1/requests/${body.id}/decisions`, { outcome: 'approve' }),
      ),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([200, 200, 200, 409, 409, 409, 409, 409, 409, 409]);
    const final = await call(agent, 'GET', `/v1/requests/${body.id}`);
    expect(final.body.status).toBe('approved');
    expect(final.body.resolution.by).toHaveLength(3);
    expect(final.body.version).toBe(4);
    const verify = await call(server.adminKey, 'GET', '/v1/audit/verify');
    expect(verify.body).toMatchObject({ ok: true, entries: 4 });
  });

  it('stops and starts again on the same port and file, as a restart would', async () => {
    const { body } = await call(agent, 'POST', '/v1/requests', { action: 'X' });
    const url = server.url;
    await server.stop();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await server.start();
    expect(server.url).toBe(url);
    const read = await call(reviewer, 'GET', `/v1/requests/${body.id}`);
    expect(read).toMatchObject({ status: 200, body: { id: body.id, status: 'pending' } });
  });
});

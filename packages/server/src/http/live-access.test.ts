import { describe, expect, it } from 'vitest';
import { useServerCalls } from '../test-support/server-calls.js';
import { openSse } from '../test-support/sse.js';

const start = useServerCalls();

describe('live access: revoked keys', () => {
  it('ends an open /v1/events stream when its key is revoked, before any new request is sent', async () => {
    const { server, call, keyId } = await start();
    const reviewer = await server.createKey({ role: 'reviewer', name: 'alice' });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const stream = await openSse(`${server.url}/v1/events`, {
      authorization: `Bearer ${reviewer}`,
    });
    expect(stream.status).toBe(200);
    const before = await call(agent, 'POST', '/v1/requests', { action: 'before' });
    expect(JSON.parse((await stream.next()).data).requestId).toBe(before.body.id);

    expect((await call(server.adminKey, 'DELETE', `/v1/keys/${keyId(reviewer)}`)).status).toBe(204);
    const after = await call(agent, 'POST', '/v1/requests', {
      action: 'after',
      context: { secret: 'x' },
    });
    expect(after.status).toBe(201);
    await stream.ended;
    expect(stream.drain().filter((message) => message.event !== 'comment')).toEqual([]);
    // Reconnecting is refused.
    expect((await call(reviewer, 'GET', '/v1/events')).status).toBe(401);
  });

  it('answers an open long-poll of a revoked key with 401, not the request', async () => {
    const { server, call, keyId, listening } = await start();
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const created = await call(agent, 'POST', '/v1/requests', { action: 'deploy' });
    const poll = call(agent, 'GET', `/v1/requests/${created.body.id}/wait?timeout=60`);
    await listening(1);
    expect((await call(server.adminKey, 'DELETE', `/v1/keys/${keyId(agent)}`)).status).toBe(204);
    const answer = await poll;
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });

  it('ends streams and long-polls of a key revoked behind its back (another replica, the offline CLI)', async () => {
    const { server, call, keyId, listening } = await start({ limits: { keyRecheckMs: 20 } });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const created = await call(agent, 'POST', '/v1/requests', { action: 'deploy' });
    const stream = await openSse(`${server.url}/v1/requests/${created.body.id}/events`, {
      authorization: `Bearer ${agent}`,
    });
    expect((await stream.next()).event).toBe('created');
    const poll = call(agent, 'GET', `/v1/requests/${created.body.id}/wait?timeout=60`);
    await listening(2);
    // Straight in the database, as another process would: this server's bus hears nothing.
    const { store, clock } = server.server.context;
    await store.transaction((tx) =>
      tx.revokeApiKey(keyId(agent), new Date(clock.now()).toISOString()),
    );
    expect((await poll).status).toBe(401);
    await stream.ended;
    expect(stream.drain().filter((message) => message.event !== 'comment')).toEqual([]);
  });
});

describe('live access: a reviewer taken off a request', () => {
  async function assignedToAlice() {
    const started = await start();
    const { server, call } = started;
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const alice = await server.createKey({ role: 'reviewer', name: 'alice' });
    const bob = await server.createKey({ role: 'reviewer', name: 'bob' });
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'deploy',
      tool: { name: 'deploy', args: { version: '1.0.0' } },
      assignees: ['user:alice'],
    });
    expect(created.status).toBe(201);
    const reassign = async () => {
      const patched = await call(agent, 'PATCH', `/v1/requests/${created.body.id}`, {
        expectedVersion: created.body.version,
        assignees: ['user:bob'],
      });
      expect(patched.status).toBe(200);
      const decided = await call(bob, 'POST', `/v1/requests/${created.body.id}/decisions`, {
        outcome: 'edit',
        args: { version: '6.6.6' },
      });
      expect(decided.status).toBe(200);
    };
    return { ...started, alice, id: created.body.id as string, reassign };
  }

  it('ends its /v1/requests/:id/events stream without the change or the edited decision', async () => {
    const { server, alice, id, reassign } = await assignedToAlice();
    const stream = await openSse(`${server.url}/v1/requests/${id}/events`, {
      authorization: `Bearer ${alice}`,
    });
    expect((await stream.next()).event).toBe('created');
    await reassign();
    await stream.ended;
    const seen = stream.drain().filter((message) => message.event !== 'comment');
    expect(seen).toEqual([]);
  });

  it('answers its long-poll with 404 instead of the decision', async () => {
    const { call, alice, id, reassign, listening } = await assignedToAlice();
    const poll = call(alice, 'GET', `/v1/requests/${id}/wait?timeout=60`);
    await listening(1);
    await reassign();
    const answer = await poll;
    expect(answer.status).toBe(404);
    expect(JSON.stringify(answer.body)).not.toContain('6.6.6');
  });
});

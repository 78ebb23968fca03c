import { describe, expect, it } from 'vitest';
import { disableUser, updateUser } from '../people/user-directory.js';
import { useServerCalls } from '../test-support/server-calls.js';
import { openSse } from '../test-support/sse.js';

const start = useServerCalls();

describe('/v1/users', () => {
  it('adds, reads, lists, changes and disables users (admins only)', async () => {
    const { server, call } = await start();
    const reviewer = await server.createKey({ role: 'reviewer', name: 'alice', groups: ['legal'] });
    expect((await call(reviewer, 'GET', '/v1/users')).status).toBe(403);

    const added = await call(server.adminKey, 'POST', '/v1/users', {
      name: 'bob',
      displayName: 'Bob Ng',
      email: 'bob@example.com',
      slackUserId: 'U02BOB',
      groups: ['finance'],
      notifications: { channels: ['email'] },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'bob', active: true, groups: ['finance'] });
    expect(
      (await call(server.adminKey, 'POST', '/v1/users', { name: 'bob' })).body.error.code,
    ).toBe('conflict');
    const invalid = await call(server.adminKey, 'POST', '/v1/users', { name: 'x', email: 'nope' });
    expect([invalid.status, invalid.body.error.code]).toEqual([400, 'validation_failed']);

    // The key created alice (and the admin key its admin user).
    const listed = await call(server.adminKey, 'GET', '/v1/users?limit=2');
    expect(listed.body.items.map((user: { name: string }) => user.name)).toEqual([
      'admin',
      'alice',
    ]);
    expect(listed.body.nextAfter).toBe('alice');
    const rest = await call(server.adminKey, 'GET', '/v1/users?after=alice');
    expect(rest.body).toMatchObject({ items: [{ name: 'bob' }], nextAfter: null });

    const changed = await call(server.adminKey, 'PATCH', '/v1/users/bob', {
      email: null,
      groups: ['finance', 'cfo'],
    });
    expect(changed.body.email).toBeUndefined();
    expect(changed.body.groups).toEqual(['finance', 'cfo']);
    const disabled = await call(server.adminKey, 'POST', '/v1/users/bob/disable');
    expect(disabled.body.active).toBe(false);
    expect((await call(server.adminKey, 'GET', '/v1/users/bob')).body.active).toBe(false);
    expect((await call(server.adminKey, 'GET', '/v1/users?active=false')).body.items).toHaveLength(
      1,
    );
    expect((await call(server.adminKey, 'GET', '/v1/users/ghost')).status).toBe(404);
    expect((await call(server.adminKey, 'POST', '/v1/users/ghost/disable')).status).toBe(404);
  });

  it("gives a key its user's groups, as the directory now has them", async () => {
    const { server, call } = await start();
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const alice = await server.createKey({ role: 'reviewer', name: 'alice', groups: ['legal'] });
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'pay',
      assignees: ['group:cfo'],
    });
    expect((await call(alice, 'GET', `/v1/requests/${created.body.id}`)).status).toBe(404);
    await call(server.adminKey, 'PATCH', '/v1/users/alice', { groups: ['legal', 'cfo'] });
    expect((await call(alice, 'GET', `/v1/requests/${created.body.id}`)).status).toBe(200);
    expect((await call(alice, 'GET', '/v1/me')).body).toMatchObject({ groups: ['legal', 'cfo'] });
  });

  it("stops a disabled user's keys at once, live streams and long-polls included, and not an agent of the same name", async () => {
    const { server, call, listening } = await start();
    const agent = await server.createKey({ role: 'agent', name: 'alice' });
    const alice = await server.createKey({ role: 'reviewer', name: 'alice' });
    const second = await server.createKey({ role: 'reviewer', name: 'alice' });
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'deploy',
      assignees: ['user:alice'],
    });
    const stream = await openSse(`${server.url}/v1/events`, { authorization: `Bearer ${alice}` });
    const poll = call(second, 'GET', `/v1/requests/${created.body.id}/wait?timeout=60`);
    await listening(2);

    await call(server.adminKey, 'POST', '/v1/users/alice/disable');
    expect((await poll).status).toBe(401);
    await stream.ended;
    const refused = await call(alice, 'GET', '/v1/me');
    expect([refused.status, refused.body.error.message]).toEqual([
      401,
      'The user alice is disabled',
    ]);
    expect((await call(agent, 'GET', `/v1/requests/${created.body.id}`)).status).toBe(200);
    expect(
      (await call(server.adminKey, 'POST', '/v1/keys', { role: 'reviewer', name: 'alice' })).status,
    ).toBe(409);

    await call(server.adminKey, 'PATCH', '/v1/users/alice', { active: true });
    expect((await call(alice, 'GET', '/v1/me')).status).toBe(200);
    const again = await openSse(`${server.url}/v1/events`, { authorization: `Bearer ${alice}` });
    expect(again.status).toBe(200);
    const next = await call(agent, 'POST', '/v1/requests', {
      action: 'next',
      assignees: ['user:alice'],
    });
    expect(JSON.parse((await again.next()).data).requestId).toBe(next.body.id);
    again.close();
  });

  it('ends the streams of a user disabled behind its back (the offline CLI), and takes them back when enabled there', async () => {
    const { server, call, listening } = await start({ limits: { keyRecheckMs: 20 } });
    const alice = await server.createKey({ role: 'reviewer', name: 'alice' });
    const stream = await openSse(`${server.url}/v1/events`, { authorization: `Bearer ${alice}` });
    await listening(1);
    const { store } = server.server.context;
    await store.transaction((tx) => disableUser(tx, 'alice'));
    await stream.ended;
    expect((await call(alice, 'GET', '/v1/events')).status).toBe(401);
    await store.transaction((tx) => updateUser(tx, 'alice', { active: true }));
    const again = await openSse(`${server.url}/v1/events`, { authorization: `Bearer ${alice}` });
    expect(again.status).toBe(200);
    again.close();
  });
});

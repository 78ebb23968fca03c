import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../store/store-types.js';
import { useServerCalls } from '../test-support/server-calls.js';
import {
  type NotificationChannel,
  type NotificationDelivery,
  PermanentDeliveryError,
} from './notification-types.js';

/** A channel that records what it is handed; `failures` makes the next attempts throw. */
function recorder(name: string, address: (user: UserRecord) => string | undefined) {
  const delivered: NotificationDelivery[] = [];
  const channel: NotificationChannel & { failures: number; permanent: boolean } = {
    name,
    failures: 0,
    permanent: false,
    addressOf: address,
    async deliver(delivery) {
      if (channel.failures > 0) {
        channel.failures--;
        throw channel.permanent
          ? new PermanentDeliveryError('mailbox does not exist')
          : new Error('connection refused');
      }
      delivered.push(delivery);
    },
  };
  return { channel, delivered };
}

const start = useServerCalls();

async function cast(server: Awaited<ReturnType<typeof start>>['server']) {
  const agent = await server.createKey({ role: 'agent', name: 'bot' });
  const alice = await server.createKey({ role: 'reviewer', name: 'alice', groups: ['legal'] });
  await server.createKey({ role: 'reviewer', name: 'bob', groups: ['legal'] });
  await server.createKey({ role: 'reviewer', name: 'carol', groups: ['cfo'] });
  return { agent, alice };
}

const summary = (deliveries: NotificationDelivery[]) =>
  deliveries
    .map(({ notification: n }) => `${n.kind} ${n.channel}:${n.address}${n.first ? ' first' : ''}`)
    .sort();

describe('notifications', () => {
  it('tells every assignee on each of their channels, reminds who has not decided, escalates to the new ones, with an audit entry per delivery', async () => {
    const email = recorder('email', (user) => user.email);
    const chat = recorder('chat', (user) =>
      user.slackUserId ? `dm:${user.slackUserId}` : undefined,
    );
    const { server, call } = await start({
      manualClock: true,
      notificationChannels: [email.channel, chat.channel],
    });
    const { agent, alice } = await cast(server);
    const admin = server.adminKey;
    await call(admin, 'PATCH', '/v1/users/alice', {
      email: 'alice@example.com',
      slackUserId: 'U01ALICE',
    });
    await call(admin, 'PATCH', '/v1/users/bob', {
      email: 'bob@example.com',
      slackUserId: 'U02BOB',
      notifications: { channels: ['email'] },
    });
    await call(admin, 'PATCH', '/v1/users/carol', { email: 'carol@example.com' });

    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'sign the board report',
      assignees: ['group:legal'],
      quorum: 2,
      timeout: '48h',
      reminders: ['24h'],
      escalation: { after: '36h', assignees: ['user:carol'] },
      notify: { targets: ['email:oncall@example.com'] },
    });
    await server.server.outbox.runDue();
    expect(summary(email.delivered)).toEqual([
      'request email:alice@example.com first',
      'request email:bob@example.com first',
      'request email:oncall@example.com first',
    ]);
    expect(summary(chat.delivered)).toEqual(['request chat:dm:U01ALICE first']);
    const toAlice = email.delivered.find((d) => d.notification.user === 'alice');
    expect(toAlice?.links.decide).toMatch(new RegExp(`^${server.url}/d/`));
    expect(toAlice?.links.dashboard).toBe(`${server.url}/#/requests/${created.body.id}`);
    expect(
      email.delivered.find((d) => d.notification.address.startsWith('oncall'))?.links.decide,
    ).toBeUndefined();

    await call(alice, 'POST', `/v1/requests/${created.body.id}/decisions`, { outcome: 'approve' });
    email.delivered.length = 0;
    chat.delivered.length = 0;
    await server.clock.advance(24 * 3_600_000);
    await server.server.outbox.runDue();
    expect(summary(email.delivered)).toEqual([
      'reminder email:bob@example.com',
      'reminder email:oncall@example.com',
    ]);
    email.delivered.length = 0;
    await server.clock.advance(12 * 3_600_000);
    await server.server.outbox.runDue();
    expect(summary(email.delivered)).toEqual([
      'escalation email:carol@example.com first',
      'escalation email:oncall@example.com',
    ]);

    const audit = await server.server.context.store.read((tx) =>
      tx.listAudit({ requestId: created.body.id, limit: 100 }),
    );
    const delivered = audit.filter((entry) => entry.type === 'notification.delivered');
    expect(delivered).toHaveLength(8);
    expect(delivered[0]?.data).toMatchObject({ kind: 'request', attempts: 1 });
    const timeline = await call(alice, 'GET', `/v1/requests/${created.body.id}/notifications`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items).toHaveLength(8);
    expect(timeline.body.items[0]).toMatchObject({ kind: 'request', status: 'delivered' });
    expect((await call(agent, 'GET', `/v1/requests/${created.body.id}/notifications`)).status).toBe(
      403,
    );
  });

  it('retries a failing channel with backoff without holding up the others, and shows a permanent failure to admins', async () => {
    const email = recorder('email', (user) => user.email);
    const chat = recorder('chat', () => 'dm');
    const { server, call } = await start({
      manualClock: true,
      notificationChannels: [email.channel, chat.channel],
      outbox: { baseDelayMs: 1000, maxDelayMs: 1000 },
    });
    const { agent } = await cast(server);
    await call(server.adminKey, 'PATCH', '/v1/users/alice', { email: 'alice@example.com' });
    email.channel.failures = 1;
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'x',
      assignees: ['user:alice'],
    });
    await server.server.outbox.runDue();
    expect(summary(chat.delivered)).toEqual(['request chat:dm first']);
    expect(email.delivered).toHaveLength(0);
    expect((await call(agent, 'GET', `/v1/requests/${created.body.id}`)).body.status).toBe(
      'pending',
    );
    await server.clock.advance(1000);
    await server.server.outbox.runDue();
    expect(summary(email.delivered)).toEqual(['request email:alice@example.com first']);

    email.channel.failures = 1;
    email.channel.permanent = true;
    const second = await call(agent, 'POST', '/v1/requests', {
      action: 'y',
      assignees: ['user:alice'],
    });
    await server.server.outbox.runDue();
    const failed = await call(server.adminKey, 'GET', '/v1/notifications?status=failed');
    expect(failed.body.items).toEqual([
      expect.objectContaining({
        requestId: second.body.id,
        channel: 'email',
        address: 'alice@example.com',
        status: 'failed',
        lastError: 'mailbox does not exist',
      }),
    ]);
    expect((await call(agent, 'GET', '/v1/notifications')).status).toBe(403);
    const types = (
      await server.server.context.store.read((tx) => tx.listAudit({ limit: 100 }))
    ).map((entry) => entry.type);
    expect(types).toContain('notification.retrying');
    expect(types).toContain('notification.failed');
  });

  it('gives up an attempt that hangs after the delivery timeout, and the other channel still gets through', async () => {
    const stuck: NotificationChannel = {
      name: 'stuck',
      addressOf: () => 'somewhere',
      deliver: () => new Promise<void>(() => undefined),
    };
    const chat = recorder('chat', () => 'dm');
    const { server, call } = await start({
      manualClock: true,
      notificationChannels: [stuck, chat.channel],
      outbox: { requestTimeoutMs: 100 },
    });
    const { agent } = await cast(server);
    await call(agent, 'POST', '/v1/requests', { action: 'x', assignees: ['user:alice'] });
    await server.server.outbox.runDue();
    expect(summary(chat.delivered)).toEqual(['request chat:dm first']);
    const pending = await call(server.adminKey, 'GET', '/v1/notifications?status=pending');
    expect(pending.body.items).toEqual([
      expect.objectContaining({
        channel: 'stuck',
        attempts: 1,
        lastError: 'The stuck channel did not finish within 100 ms',
      }),
    ]);
  });

  it('tells the requester of the outcome when asked, and channels that follow outcomes everyone told', async () => {
    const email = recorder('email', (user) => user.email);
    const chat = recorder('chat', (user) => user.name);
    (chat.channel as { followsOutcome: boolean }).followsOutcome = true;
    const { server, call } = await start({ notificationChannels: [email.channel, chat.channel] });
    const { alice } = await cast(server);
    const requester = await server.createKey({ role: 'reviewer', name: 'dave' });
    await call(server.adminKey, 'PATCH', '/v1/users/dave', { email: 'dave@example.com' });
    await call(server.adminKey, 'PATCH', '/v1/users/alice', { email: 'alice@example.com' });
    const created = await call(requester, 'POST', '/v1/requests', {
      action: 'x',
      assignees: ['user:alice'],
      notify: { requester: true, channels: ['chat'] },
    });
    await server.server.outbox.runDue();
    expect(summary(email.delivered)).toEqual([]);
    await call(alice, 'POST', `/v1/requests/${created.body.id}/decisions`, {
      outcome: 'reject',
      reason: 'not now',
    });
    await server.server.outbox.runDue();
    expect(summary(chat.delivered)).toEqual([
      'outcome chat:alice',
      'outcome chat:dave first',
      'request chat:alice first',
    ]);
    expect(summary(email.delivered)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { useServerCalls } from '../test-support/server-calls.js';
import { useSmtpCapture } from '../test-support/smtp-capture.js';
import type { NotificationChannel, NotificationDelivery } from './notification-types.js';

const start = useServerCalls();
const smtp = useSmtpCapture();

// Only a commit's wake can deliver a new row in these tests: the poll would come too late.
const outbox = { pollIntervalMs: 3_600_000 };

/** A channel whose deliveries wait until released; `arrived(n)` resolves once n have begun. */
function heldChannel(name: string) {
  const begun: NotificationDelivery[] = [];
  const waiters = new Set<() => void>();
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const channel: NotificationChannel = {
    name,
    addressOf: (user) => user.name,
    async deliver(delivery) {
      begun.push(delivery);
      for (const waiter of waiters) waiter();
      await released;
    },
  };
  const arrived = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (begun.length < count) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { channel, arrived, release };
}

/** A channel that hands each delivery to whoever waits for it. */
function promptChannel(name: string) {
  let next: (delivery: NotificationDelivery) => void = () => undefined;
  const channel: NotificationChannel = {
    name,
    addressOf: (user) => user.name,
    async deliver(delivery) {
      next(delivery);
    },
  };
  const delivered = () =>
    new Promise<NotificationDelivery>((resolve) => {
      next = resolve;
    });
  return { channel, delivered };
}

describe('a slow delivery holds up only itself', () => {
  it('mails a second request while the relay still holds the first one’s message', async () => {
    const { server, call } = await start({ smtpUrl: smtp.url, outbox });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    for (const name of ['alice', 'bob']) {
      await server.createKey({ role: 'reviewer', name });
      await call(server.adminKey, 'PATCH', `/v1/users/${name}`, { email: `${name}@example.com` });
    }
    const slow = smtp.hold('bob@example.com');
    const first = await call(agent, 'POST', '/v1/requests', {
      action: 'first',
      assignees: ['user:bob'],
    });
    await slow.arrived;
    const second = await call(agent, 'POST', '/v1/requests', {
      action: 'second',
      assignees: ['user:alice'],
    });

    const [mail] = await smtp.received(1);
    expect(mail?.headers.get('x-countersign-request')).toBe(second.body.id);
    slow.release();
    const mails = await smtp.received(2);
    expect(mails.map((m) => m.headers.get('x-countersign-request'))).toEqual([
      second.body.id,
      first.body.id,
    ]);
    await server.server.outbox.runDue();
    const audit = await server.server.context.store.read((tx) => tx.listAudit({ limit: 100 }));
    expect(
      audit
        .filter((entry) => entry.type === 'notification.delivered')
        .map((entry) => [entry.requestId, entry.data.attempts]),
    ).toEqual([
      [second.body.id, 1],
      [first.body.id, 1],
    ]);
  });

  it('delivers on another channel while one channel has every slot taken', async () => {
    const stuck = heldChannel('stuck');
    const chat = promptChannel('chat');
    const { server, call } = await start({
      notificationChannels: [stuck.channel, chat.channel],
      outbox: { ...outbox, concurrency: 1 },
    });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    await server.createKey({ role: 'reviewer', name: 'alice' });
    const first = chat.delivered();
    await call(agent, 'POST', '/v1/requests', { action: 'first', assignees: ['user:alice'] });
    await stuck.arrived(1);
    expect((await first).request.action).toBe('first');

    // The stuck channel's only slot is taken and its second message waits for it; chat's is free.
    const second = chat.delivered();
    await call(agent, 'POST', '/v1/requests', { action: 'second', assignees: ['user:alice'] });
    expect((await second).request.action).toBe('second');
    stuck.release();
    await stuck.arrived(2);
    await server.server.outbox.runDue();
    const failedOrPending = await server.server.context.store.read((tx) =>
      tx.listOutboxByStatus('pending', 'notify:', 10),
    );
    expect(failedOrPending).toEqual([]);
  });
});

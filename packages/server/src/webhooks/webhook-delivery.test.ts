import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import { Receiver, until } from '../test-support/webhook-receiver.js';

let server: TestServer | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.down();
  await server?.close();
});

async function post(key: string, path: string, body: unknown) {
  const response = await fetch(server?.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('webhooks', () => {
  it('delivers signed events from the outbox and retries across receiver downtime', async () => {
    server = await startTestServer({ manualClock: true });
    receiver = new Receiver();
    await receiver.up();
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const subscription = await post(server.adminKey, '/v1/webhooks', {
      url: `http://127.0.0.1:${receiver.port}/hook`,
      events: ['request.created', 'request.decided'],
    });
    expect(String(subscription.secret)).toMatch(/^whsec_/);
    const callbackSecret = (await (
      await fetch(`${server.url}/v1/webhooks/callback-secret`, {
        headers: { authorization: `Bearer ${server.adminKey}` },
      })
    ).json()) as { secret: string };

    await receiver.down();
    const created = await post(agent, '/v1/requests', {
      action: 'X',
      callbackUrl: `http://127.0.0.1:${receiver.port}/callback`,
    });
    const store = server.server.context.store;
    await until(
      async () => (await store.read((tx) => tx.listOutbox(10))).every((m) => m.attempts >= 1),
      'the first failed attempts',
    );
    expect(receiver.received).toHaveLength(0);

    await receiver.up();
    await server.clock.advance(10_000);
    expect(receiver.received.map((r) => r.path).sort()).toEqual(['/callback', '/hook']);
    for (const delivery of receiver.received) {
      const secret =
        delivery.path === '/hook' ? String(subscription.secret) : callbackSecret.secret;
      const verified = new Webhook(secret).verify(
        delivery.body,
        delivery.headers as Record<string, string>,
      ) as {
        type: string;
        data: { requestId: string };
      };
      expect(verified).toMatchObject({ type: 'request.created', data: { requestId: created.id } });
      expect(() =>
        new Webhook(secret).verify(`${delivery.body} `, delivery.headers as Record<string, string>),
      ).toThrow();
    }
    const outbox = await store.read((tx) => tx.listOutbox(10));
    expect(outbox.map((m) => m.status)).toEqual(['delivered', 'delivered']);
    expect(outbox.every((m) => m.attempts === 2)).toBe(true);
  });

  it('disables a subscription that answers 410 and backs off exponentially with jitter', async () => {
    server = await startTestServer({ manualClock: true, outbox: { random: () => 0 } });
    receiver = new Receiver();
    await receiver.up();
    receiver.status = 410;
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const subscription = await post(server.adminKey, '/v1/webhooks', {
      url: `http://127.0.0.1:${receiver.port}/gone`,
    });
    await post(agent, '/v1/requests', { action: 'X' });
    const store = server.server.context.store;
    await until(
      async () => (await store.read((tx) => tx.listOutbox(10)))[0]?.status === 'disabled',
      '410',
    );
    const webhook = await store.read((tx) => tx.getWebhook(String(subscription.id)));
    expect(webhook?.enabled).toBe(false);
    await post(agent, '/v1/requests', { action: 'Y' });
    expect(await store.read((tx) => tx.listOutbox(10))).toHaveLength(1);
    expect(server.server.outbox.retryDelay(1)).toBe(2_500);
    expect(server.server.outbox.retryDelay(5)).toBe(40_000);
    expect(server.server.outbox.retryDelay(40)).toBe(1_800_000);
  });

  it('keeps retrying for at least 24 hours, then gives up and records it in the audit log', async () => {
    server = await startTestServer({ manualClock: true });
    receiver = new Receiver();
    await receiver.up();
    await receiver.down();
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    await post(agent, '/v1/requests', {
      action: 'X',
      callbackUrl: `http://127.0.0.1:${receiver.port}/never`,
    });
    const store = server.server.context.store;
    await until(
      async () => (await store.read((tx) => tx.listOutbox(1)))[0]?.attempts === 1,
      'attempt 1',
    );
    let hours = 0;
    while ((await store.read((tx) => tx.listOutbox(1)))[0]?.status === 'pending') {
      await server.clock.advance(3_600_000);
      hours++;
      expect(hours).toBeLessThan(40);
    }
    const [message] = await store.read((tx) => tx.listOutbox(1));
    expect(message?.status).toBe('failed');
    expect(hours).toBeGreaterThanOrEqual(24);
    const audit = await store.read((tx) => tx.listAudit({ limit: 10 }));
    expect(audit.at(-1)).toMatchObject({
      type: 'webhook.failed',
      data: { url: `http://127.0.0.1:${receiver.port}/never` },
    });
    receiver = undefined;
  });
});

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

async function call(key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(server?.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('the Ambedo webhookUrl', () => {
  it('receives only the decision, as the documented payload, signed', async () => {
    server = await startTestServer();
    receiver = new Receiver();
    await receiver.up();
    const agent = await server.createKey({ role: 'agent', name: 'deployer' });
    const reviewer = await server.createKey({ role: 'reviewer', name: 'alice' });
    const { secret } = (await call(server.adminKey, 'GET', '/v1/webhooks/callback-secret')) as {
      secret: string;
    };
    const pause = await call(agent, 'POST', '/api/pause', {
      action: 'Deploy to production',
      context: { environment: 'prod' },
      webhookUrl: `http://127.0.0.1:${receiver.port}/ambedo`,
    });
    const watchId = String(pause.watchId);
    await call(reviewer, 'POST', `/api/pause/${watchId}/approve`, { approved: true });
    const store = server.server.context.store;
    await until(
      async () => (await store.read((tx) => tx.listOutbox(10))).every((m) => m.attempts >= 1),
      'the delivery',
    );
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const payload = new Webhook(secret).verify(
      String(delivery?.body),
      delivery?.headers as Record<string, string>,
    ) as Record<string, unknown>;
    const view = await call(agent, 'GET', `/api/pause/${watchId}`);
    expect(payload).toEqual({
      watchId,
      status: 'approved',
      resolvedAt: view.resolvedAt,
      agentContext: { action: 'Deploy to production', context: { environment: 'prod' } },
    });
    expect(typeof payload.resolvedAt).toBe('string');
    const outbox = await store.read((tx) => tx.listOutbox(10));
    expect(outbox.map((message) => [message.eventType, message.status])).toEqual([
      ['request.decided', 'delivered'],
    ]);
    const audit = await store.read((tx) => tx.listAudit({ limit: 20 }));
    expect(audit.at(-1)).toMatchObject({ type: 'webhook.delivered', requestId: watchId });
  });

  it('gives a rejection and its reason; a /v1 callbackUrl keeps the envelope', async () => {
    server = await startTestServer();
    receiver = new Receiver();
    await receiver.up();
    const agent = await server.createKey({ role: 'agent', name: 'deployer' });
    const reviewer = await server.createKey({ role: 'reviewer', name: 'alice' });
    const pause = await call(agent, 'POST', '/api/pause', {
      action: 'Drop the database',
      context: 'a plain string',
      webhookUrl: `http://127.0.0.1:${receiver.port}/ambedo`,
    });
    await call(reviewer, 'POST', `/api/pause/${pause.watchId}/approve`, {
      decision: 'reject',
      reason: 'Not today',
    });
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'Other',
      callbackUrl: `http://127.0.0.1:${receiver.port}/v1`,
    });
    await until(async () => receiver?.received.length === 2, 'both deliveries');
    const byPath = Object.fromEntries(
      receiver.received.map((delivery) => [delivery.path, JSON.parse(delivery.body)]),
    );
    expect(byPath['/ambedo']).toEqual({
      watchId: pause.watchId,
      status: 'rejected',
      resolvedAt: expect.any(String),
      reason: 'Not today',
      agentContext: { action: 'Drop the database', context: 'a plain string' },
    });
    expect(byPath['/v1']).toMatchObject({
      type: 'request.created',
      data: { requestId: created.id },
    });
  });
});

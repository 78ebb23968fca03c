import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import { createHarness, type Harness } from '../test-support/harness.js';
import { createApp } from './app.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function stored(harness: Harness) {
  return harness.context.store.read(async (tx) => ({
    requests: (await tx.listRequests({ visibility: { all: true }, limit: 50 })).items,
    outbox: await tx.listOutbox(50),
  }));
}

describe('callback URL allow-list (callbackHosts)', () => {
  it('accepts listed hosts and refuses others with 400 validation_failed, storing nothing', async () => {
    h = await createHarness({
      callbackHosts: ['hooks.example.com', '10.0.0.5:8080', '*.internal'],
    });
    for (const url of [
      'https://hooks.example.com/cb',
      'http://10.0.0.5:8080/cb',
      'http://billing.internal/cb',
    ]) {
      const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
        action: 'X',
        callbackUrl: url,
      });
      expect(created.status).toBe(201);
      expect(created.body.callbackUrl).toBe(url);
    }
    const before = await stored(h);
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5:9090/cb',
      'http://internal/cb',
      'http://hooks.example.com.attacker.net/cb',
    ]) {
      const refused = await h.call(h.keys.agent, 'POST', '/v1/requests', {
        action: 'X',
        callbackUrl: url,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.message).toMatch(/^callbackUrl host ".+" is not on .*allow-list/);
      expect(refused.body.error.message).toMatch(/operator must add it/);
      expect(refused.body.error.details).toMatchObject({
        field: 'callbackUrl',
        host: new URL(url).host,
        issues: [{ path: 'callbackUrl', code: 'callback_host_not_allowed' }],
      });
      expect(JSON.stringify(refused.body)).not.toContain('hooks.example.com"');
    }
    const after = await stored(h);
    expect(after.requests).toHaveLength(before.requests.length);
    expect(after.outbox).toHaveLength(before.outbox.length);
  });

  it('refuses an idempotent create too, and leaves requests without a callback alone', async () => {
    h = await createHarness({ callbackHosts: ['hooks.example.com'] });
    const refused = await h.call(
      h.keys.agent,
      'POST',
      '/v1/requests',
      { action: 'X', callbackUrl: 'http://127.0.0.1:1/cb' },
      { 'idempotency-key': 'k1' },
    );
    expect(refused.status).toBe(400);
    const plain = await h.call(
      h.keys.agent,
      'POST',
      '/v1/requests',
      { action: 'X' },
      {
        'idempotency-key': 'k1',
      },
    );
    expect(plain.status).toBe(201);
  });

  it('applies to the Ambedo webhookUrl, naming that field', async () => {
    h = await createHarness({ callbackHosts: ['hooks.example.com:443'] });
    const accepted = await h.call(h.keys.agent, 'POST', '/api/pause', {
      action: 'Deploy',
      webhookUrl: 'https://hooks.example.com/pause',
    });
    expect(accepted.status).toBe(201);
    const refused = await h.call(h.keys.agent, 'POST', '/api/pause', {
      action: 'Deploy',
      webhookUrl: 'http://hooks.example.com/pause',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'validation_failed',
      details: { field: 'webhookUrl', host: 'hooks.example.com' },
    });
    expect(refused.body.error.message).toMatch(/^webhookUrl host "hooks.example.com" is not on/);
    expect((await stored(h)).requests).toHaveLength(1);
  });

  it('keeps admin subscriptions unrestricted', async () => {
    h = await createHarness({ callbackHosts: ['hooks.example.com'] });
    const subscription = await h.call(h.keys.admin, 'POST', '/v1/webhooks', {
      url: 'http://10.1.2.3:9000/admin-hook',
    });
    expect(subscription.status).toBe(201);
  });

  it('accepts any http(s) callback when the list is unset', async () => {
    h = await createHarness();
    const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      callbackUrl: 'http://10.9.9.9:1234/cb',
    });
    expect(created.status).toBe(201);
  });

  it('refuses a malformed list when the app is built', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    try {
      expect(() =>
        createApp({ store, callbackHosts: ['ok.example', 'https://bad.example/x'] }),
      ).toThrow(/callbackHosts entry "https:\/\/bad.example\/x" is malformed/);
      expect(() => createApp({ store, callbackHosts: ['*.10.0.0.1'] })).toThrow(/wildcard/);
    } finally {
      await store.close();
    }
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.js';
import { type RunningServer, startServer } from '../server.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { createHarness, type Harness, offlineResolver } from '../test-support/harness.js';
import { Receiver, until } from '../test-support/webhook-receiver.js';
import { type HostResolver, isLinkLocalAddress } from './callback-addresses.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  const h = await createHarness(options);
  cleanups.push(() => h.close());
  return h;
}

/** Answers from a table, one answer per call in turn (the last one repeats); no DNS. */
function scriptedResolver(answers: Record<string, string[][]>): HostResolver {
  return async (hostname) => {
    const script = answers[hostname];
    if (!script) return offlineResolver(hostname);
    return (script.length > 1 ? script.shift() : script[0]) as string[];
  };
}

describe('link-local and metadata callback addresses', () => {
  it('knows the link-local ranges and metadata addresses in every spelling', () => {
    for (const address of [
      '169.254.169.254',
      '169.254.0.1',
      '::ffff:169.254.169.254',
      'fd00:ec2::254',
      'fe80::1',
    ]) {
      expect(isLinkLocalAddress(address), address).toBe(true);
    }
    for (const address of ['127.0.0.1', '10.0.0.5', '::1', 'fd00:ec2::253', '169.255.0.1', 'x']) {
      expect(isLinkLocalAddress(address), address).toBe(false);
    }
  });

  it('refuses them at create, by IP or by a name resolving to one, naming the opt-in', async () => {
    const h = await harness({
      callbackResolver: scriptedResolver({ 'metadata.test': [['10.1.2.3', '169.254.169.254']] }),
    });
    for (const [url, address] of [
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
      ['http://0xa9fea9fe/latest', '169.254.169.254'],
      ['http://[fd00:ec2::254]/latest', 'fd00:ec2::254'],
      ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe'],
      ['http://metadata.test/hook', '169.254.169.254'],
    ] as const) {
      const refused = await h.call(h.keys.agent, 'POST', '/v1/requests', {
        action: 'X',
        callbackUrl: url,
      });
      expect(refused.status, url).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.details).toMatchObject({ field: 'callbackUrl', address });
      expect(refused.body.error.message).toContain('allowLinkLocalCallbacks');
    }
    const ambedo = await h.call(h.keys.agent, 'POST', '/api/pause', {
      action: 'X',
      webhookUrl: 'http://169.254.169.254/',
    });
    expect(ambedo.status).toBe(400);
    expect(ambedo.body.error.details.field).toBe('webhookUrl');
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://10.0.0.5/']) {
      const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
        action: 'X',
        callbackUrl: url,
      });
      expect(created.status, url).toBe(201);
    }
    const stored = await h.context.store.read((tx) =>
      tx.listRequests({ visibility: { all: true }, limit: 50 }),
    );
    expect(stored.items).toHaveLength(3);
  });

  it('accepts them with allowLinkLocalCallbacks', async () => {
    const h = await harness({ allowLinkLocalCallbacks: true });
    const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      callbackUrl: 'http://169.254.169.254/hook',
    });
    expect(created.status).toBe(201);
  });
});

describe('link-local callbacks at delivery', () => {
  async function serve(resolver: HostResolver): Promise<{ server: RunningServer; agent: string }> {
    const directory = await mkdtemp(join(tmpdir(), 'countersign-link-local-'));
    const store = openSqliteStore({ path: join(directory, 'test.db'), synchronous: 'normal' });
    const agent = (
      await store.transaction((tx) => createApiKey(tx, { role: 'agent', name: 'bot' }))
    ).key;
    const server = await startServer({
      store,
      port: 0,
      host: '127.0.0.1',
      callbackResolver: resolver,
      logError: () => undefined,
    });
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    cleanups.push(() => server.close());
    return { server, agent };
  }

  async function createWithCallback(server: RunningServer, agent: string, callbackUrl: string) {
    const response = await fetch(`${server.url}/v1/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'X', callbackUrl }),
    });
    expect(response.status).toBe(201);
  }

  async function firstAttempt(server: RunningServer) {
    const store = server.context.store;
    await until(
      async () => (await store.read((tx) => tx.listOutbox(1)))[0]?.attempts === 1,
      'the first attempt',
    );
    return (await store.read((tx) => tx.listOutbox(1)))[0];
  }

  it('delivers to a name that resolves to an allowed address, connecting to that address', async () => {
    const receiver = new Receiver();
    await receiver.up();
    cleanups.push(() => receiver.down());
    const { server, agent } = await serve(scriptedResolver({ 'hooks.test': [['127.0.0.1']] }));
    await createWithCallback(server, agent, `http://hooks.test:${receiver.port}/cb`);
    expect((await firstAttempt(server))?.status).toBe('delivered');
    expect(receiver.received.map((delivery) => delivery.path)).toEqual(['/cb']);
  });

  it('does not send when the name resolves to a metadata address by delivery time', async () => {
    const receiver = new Receiver();
    await receiver.up();
    cleanups.push(() => receiver.down());
    const { server, agent } = await serve(
      scriptedResolver({ 'rebind.test': [['127.0.0.1'], ['169.254.169.254']] }),
    );
    await createWithCallback(server, agent, `http://rebind.test:${receiver.port}/cb`);
    const message = await firstAttempt(server);
    expect(message?.status).toBe('failed');
    expect(message?.lastError).toMatch(/^Not sent: .*resolves to 169\.254\.169\.254/);
    expect(receiver.received).toEqual([]);
    const audit = await server.context.store.read((tx) => tx.listAudit({ limit: 10 }));
    expect(audit.at(-1)).toMatchObject({ type: 'webhook.failed' });
  });

  it('refuses the connection when the name changes between the check and the connect', async () => {
    const receiver = new Receiver();
    await receiver.up();
    cleanups.push(() => receiver.down());
    const { server, agent } = await serve(
      scriptedResolver({ 'rebind.test': [['127.0.0.1'], ['127.0.0.1'], ['fd00:ec2::254']] }),
    );
    await createWithCallback(server, agent, `http://rebind.test:${receiver.port}/cb`);
    const message = await firstAttempt(server);
    expect(message?.status).toBe('pending');
    expect(message?.lastError).toContain('resolves to the link-local or metadata address');
    expect(receiver.received).toEqual([]);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.js';
import { ManualClock } from '../clock.js';
import { type RunningServer, startServer } from '../server.js';
import { openSqliteStore } from '../store/sqlite-store.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver(): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(dbPath: string, clock: ManualClock, callbackHosts?: string[]) {
  const server = await startServer({
    store: openSqliteStore({ path: dbPath, synchronous: 'normal' }),
    port: 0,
    host: '127.0.0.1',
    clock,
    ...(callbackHosts ? { callbackHosts } : {}),
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  cleanups.push(close);
  return { server, close };
}

async function create(server: RunningServer, key: string, callbackUrl: string) {
  return fetch(`${server.url}/v1/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'X', callbackUrl }),
  });
}

describe('callback allow-list on a real port', () => {
  it('delivers signed callbacks to a listed host and fails a stored callback to a host no longer listed', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'countersign-callback-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const dbPath = join(directory, 'countersign.db');
    const listed = await receiver();
    const unlisted = await receiver();
    for (const r of [listed, unlisted]) {
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            r.server.close(() => resolve());
            r.server.closeAllConnections();
          }),
      );
    }
    const clock = new ManualClock(Date.now());

    // Before the list is tightened: a callback to the (soon unlisted) receiver is stored while it
    // refuses connections, so its outbox row is left pending for a retry.
    const first = await serve(dbPath, clock);
    const { key } = await first.server.context.store.transaction((tx) =>
      createApiKey(tx, { role: 'agent', name: 'bot' }),
    );
    const unlistedUrl = `http://127.0.0.1:${unlisted.port}/old`;
    await new Promise<void>((resolve) => unlisted.server.close(() => resolve()));
    expect((await create(first.server, key, unlistedUrl)).status).toBe(201);
    await first.server.outbox.runDue();
    await first.close();
    await new Promise<void>((resolve) =>
      unlisted.server.listen(unlisted.port, '127.0.0.1', resolve),
    );

    const second = await serve(dbPath, clock, [`127.0.0.1:${listed.port}`]);
    const refused = await create(second.server, key, `http://127.0.0.1:${unlisted.port}/new`);
    expect(refused.status).toBe(400);
    const created = (await (
      await create(second.server, key, `http://127.0.0.1:${listed.port}/cb`)
    ).json()) as { id: string };
    clock.advance(3_600_000);
    // The first call may join a run the create started before the clock moved; the second sees all.
    await second.server.outbox.runDue();
    await second.server.outbox.runDue();

    expect(unlisted.received).toHaveLength(0);
    expect(listed.received.map((r) => r.path)).toEqual(['/cb']);
    const secret = await second.server.context.store.transaction(async (tx) =>
      tx.getSetting('callback_secret'),
    );
    const [delivery] = listed.received;
    expect(
      new Webhook(String(secret)).verify(
        String(delivery?.body),
        delivery?.headers as Record<string, string>,
      ),
    ).toMatchObject({ type: 'request.created', data: { requestId: created.id } });

    const store = second.server.context.store;
    const outbox = await store.read((tx) => tx.listOutbox(10));
    const old = outbox.find((message) => message.url === unlistedUrl);
    expect(old).toMatchObject({ status: 'failed' });
    expect(old?.lastError).toMatch(/not on the callback allow-list/);
    const audit = await store.read((tx) => tx.listAudit({ limit: 50 }));
    expect(audit.filter((entry) => entry.type === 'webhook.failed')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          url: unlistedUrl,
          error: expect.stringMatching(/not on the callback allow-list/),
        }),
      }),
    ]);
    expect(audit.filter((entry) => entry.type === 'webhook.delivered')).toHaveLength(1);
  });
});

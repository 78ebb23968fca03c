import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store-types.js';
import { createApp } from './app.js';

// One app, two listeners: `fast` puts the Node fast path in front (as startServer does), `hono`
// serves the same routes through the Hono app alone.
let directory: string;
let store: Store;
const listeners: Server[] = [];
const bases = { fast: '', hono: '' };
const keys = { agent: '', other: '' };
let visibleId = '';
let hiddenId = '';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  listeners.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'countersign-parity-'));
  store = openSqliteStore({ path: join(directory, 'parity.db'), synchronous: 'normal' });
  const { app, nodeRoutes } = createApp({ store, logError: () => undefined });
  const honoListener = getRequestListener(app.fetch);
  bases.fast = await listen((request, response) => {
    if (!nodeRoutes(request, response)) void honoListener(request, response);
  });
  bases.hono = await listen((request, response) => void honoListener(request, response));
  const key = async (name: string) =>
    (await store.transaction((tx) => createApiKey(tx, { role: 'agent', name }))).key;
  keys.agent = await key('bot');
  keys.other = await key('other-bot');
  const create = async (agentKey: string) => {
    const response = await fetch(`${bases.hono}/v1/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'parity' }),
    });
    return ((await response.json()) as { id: string }).id;
  };
  visibleId = await create(keys.agent);
  hiddenId = await create(keys.other);
});

afterAll(async () => {
  for (const server of listeners) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Status, content type and body; for a stream, its first message (or `: connected`). */
async function answer(base: string, path: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(`${base}${path}`, { headers, signal: controller.signal });
  const contentType = response.headers.get('content-type');
  const retryAfter = response.headers.get('retry-after');
  if (!contentType?.startsWith('text/event-stream')) {
    return { status: response.status, contentType, retryAfter, body: await response.text() };
  }
  let text = '';
  let first: string | undefined;
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    first = text
      .split('\n\n')
      .slice(0, -1)
      .find((block) => !block.startsWith(': keep-alive'));
    if (first) break;
  }
  controller.abort();
  if (first) return { status: response.status, contentType, retryAfter, body: first };
  throw new Error(`${path}: the stream ended without a message`);
}

const cases: {
  name: string;
  path: () => string;
  headers?: () => Record<string, string>;
  status: number;
}[] = [
  {
    name: 'wait without a key',
    path: () => `/v1/requests/${visibleId}/wait`,
    headers: () => ({}),
    status: 401,
  },
  {
    name: 'events with a malformed key',
    path: () => `/v1/requests/${visibleId}/events`,
    headers: () => ({ authorization: 'Bearer nope' }),
    status: 401,
  },
  {
    name: 'firehose with an unknown key',
    path: () => '/v1/events',
    headers: () => ({ authorization: `Bearer ${keys.agent.slice(0, -4)}AAAA` }),
    status: 401,
  },
  { name: 'wait, timeout 0', path: () => `/v1/requests/${visibleId}/wait?timeout=0`, status: 200 },
  {
    name: 'wait, timeout not a number',
    path: () => `/v1/requests/${visibleId}/wait?timeout=soon`,
    status: 400,
  },
  {
    name: 'wait, timeout too long',
    path: () => `/v1/requests/${visibleId}/wait?timeout=61`,
    status: 400,
  },
  {
    name: 'wait, timeout repeated',
    path: () => `/v1/requests/${visibleId}/wait?timeout=0&timeout=1`,
    status: 400,
  },
  {
    name: 'wait, unknown parameter',
    path: () => `/v1/requests/${visibleId}/wait?timeout=0&after=1`,
    status: 400,
  },
  {
    name: 'wait on a missing request',
    path: () => '/v1/requests/req_missing/wait?timeout=0',
    status: 404,
  },
  {
    name: "wait on another agent's request",
    path: () => `/v1/requests/${hiddenId}/wait?timeout=0`,
    status: 404,
  },
  {
    name: 'wait on a percent-encoded id',
    path: () => `/v1/requests/${encodeURIComponent(visibleId).replace('r', '%72')}/wait?timeout=0`,
    status: 200,
  },
  { name: 'events replay', path: () => `/v1/requests/${visibleId}/events`, status: 200 },
  {
    name: 'events from a query lastEventId',
    path: () => `/v1/requests/${visibleId}/events?lastEventId=1`,
    status: 200,
  },
  {
    name: 'events, lastEventId repeated',
    path: () => `/v1/requests/${visibleId}/events?lastEventId=0&lastEventId=1`,
    status: 400,
  },
  {
    name: 'events, Last-Event-ID not ours',
    path: () => `/v1/requests/${visibleId}/events`,
    headers: () => ({ authorization: `Bearer ${keys.agent}`, 'last-event-id': 'abc' }),
    status: 400,
  },
  {
    name: 'events, unknown parameter ignored',
    path: () => `/v1/requests/${visibleId}/events?cache=1`,
    status: 200,
  },
  {
    name: "events of another agent's request",
    path: () => `/v1/requests/${hiddenId}/events`,
    status: 404,
  },
  { name: 'firehose from now', path: () => '/v1/events', status: 200 },
  {
    name: 'firehose from Last-Event-ID 0',
    path: () => '/v1/events',
    headers: () => ({ authorization: `Bearer ${keys.agent}`, 'last-event-id': '0' }),
    status: 200,
  },
  {
    name: 'firehose, lastEventId repeated',
    path: () => '/v1/events?lastEventId=0&lastEventId=0',
    status: 400,
  },
  { name: 'firehose, lastEventId not ours', path: () => '/v1/events?lastEventId=-1', status: 400 },
];

describe('the long-lived routes answer alike on the fast path and through Hono', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const headers = testCase.headers?.() ?? { authorization: `Bearer ${keys.agent}` };
      const fast = await answer(bases.fast, testCase.path(), headers);
      const hono = await answer(bases.hono, testCase.path(), headers);
      expect(fast.status).toBe(testCase.status);
      expect(fast).toEqual(hono);
    });
  }
});

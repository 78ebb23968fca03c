import { CountersignClient } from '@countersign/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import { createApp } from './app.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `blob` in strings of at most 200 000 characters, under the server's string length limit. */
function inParts(blob: string): string[] {
  const parts: string[] = [];
  for (let start = 0; start < blob.length; start += 200_000) {
    parts.push(blob.slice(start, start + 200_000));
  }
  return parts;
}

async function create(test: TestServer, agent: string, action: string, blob: string) {
  const response = await fetch(`${test.url}/v1/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action, context: { blob: inParts(blob) } }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Follows `nextCursor` to the end, as the dashboard does; returns each page's ids and size. */
async function pageThrough(test: TestServer, limit: number) {
  const pages: { ids: string[]; bytes: number }[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${test.url}/v1/requests?${query}`, {
      headers: { authorization: `Bearer ${test.adminKey}` },
    });
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    const page = JSON.parse(body.toString('utf8')) as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    pages.push({ ids: page.items.map((item) => item.id), bytes: body.byteLength });
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

describe('GET /v1/requests byte budget', () => {
  it('ends a page before 4 MiB by default, and the cursor pages through every request once', async () => {
    server = await startTestServer();
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const created: string[] = [];
    // Six near-limit bodies: 5.4 MB in one page of 50 without the budget.
    for (let index = 0; index < 6; index++) {
      created.push(await create(server, agent, `big ${index}`, 'x'.repeat(900_000)));
    }
    const pages = await pageThrough(server, 50);
    for (const page of pages) expect(page.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(pages.map((page) => page.ids.length)).toEqual([4, 2]);
    expect(pages.flatMap((page) => page.ids)).toEqual(created.reverse());
  });

  it('counts UTF-8 bytes, gives a request above the budget a page of its own, and the core client pages on', async () => {
    server = await startTestServer({ listPageMaxBytes: 64 * 1024 });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const small1 = await create(server, agent, 'small 1', 'x'.repeat(10_000));
    // 25 000 characters but 50 000 bytes: fits after the two small ones by length, not by bytes.
    const accented = await create(server, agent, 'accented', 'é'.repeat(25_000));
    const small2 = await create(server, agent, 'small 2', 'x'.repeat(10_000));
    const small3 = await create(server, agent, 'small 3', 'x'.repeat(10_000));
    const huge = await create(server, agent, 'huge', 'x'.repeat(200_000));
    const pages = await pageThrough(server, 50);
    expect(pages.map((page) => page.ids)).toEqual([[huge], [small3, small2], [accented, small1]]);
    expect(pages.slice(1).every((page) => page.bytes <= 64 * 1024)).toBe(true);

    const client = new CountersignClient({ baseUrl: server.url, apiKey: server.adminKey });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.list({ limit: 50, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([huge, small3, small2, accented, small1]);
  });

  it('refuses a budget below 64 KiB or not a whole number', () => {
    const store = {} as Parameters<typeof createApp>[0]['store'];
    for (const listPageMaxBytes of [65_535, 100_000.5]) {
      expect(() => createApp({ store, listPageMaxBytes })).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
    }
    expect(() => createApp({ store, listPageMaxBytes: 65_536 })).not.toThrow();
  });
});

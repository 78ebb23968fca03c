// Server RSS with 10,000 idle waiters (long-poll, then SSE), next to the same number of idle
// connections held by a bare Hono route on @hono/node-server. Clients run in their own process and
// connect in batches; each server is a fresh process, so only the waiters are counted.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openIdleWaiters } from './idle-waiters.ts';
import { printRows } from './measure.ts';
import { rssOf, startServerProcess, waitForUrl } from './server-process.ts';

const WAITERS = Number(process.env.BENCH_IDLE_WAITERS ?? 10_000);

// Holds every connection open the way a waiter does, doing nothing else.
const BARE = `
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { streamSSE } from 'hono/streaming';
const app = new Hono();
app.get('/wait/:id', () => new Promise(() => {}));
app.get('/events/:id', (c) => streamSSE(c, (stream) => new Promise((resolve) => stream.onAbort(resolve))));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log('listening on http://127.0.0.1:' + info.port);
});
`;

// The floor: node:http alone, holding each request open.
const RAW = `
import http from 'node:http';
const server = http.createServer(() => {});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

/** Opens the waiters against `base`, waits for the server to settle, and samples its RSS. */
async function measure(
  serverPid: number,
  base: string,
  keys: string[],
  pathTemplate: string,
  ids: string[],
) {
  const before = rssOf(serverPid);
  const client = await openIdleWaiters(base, keys, pathTemplate, ids);
  // Sample the lowest RSS over a quiet period: V8's memory reducer collects the connection burst.
  let after = Number.POSITIVE_INFINITY;
  for (let sample = 0; sample < 10; sample++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    after = Math.min(after, rssOf(serverPid));
  }
  client.kill('SIGKILL');
  return { before, after };
}

async function bare(pathTemplate: string, ids: string[], script = BARE) {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../packages/server/', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await waitForUrl(child);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const result = await measure(child.pid as number, url, ['none'], pathTemplate, ids);
  child.kill('SIGKILL');
  return result;
}

const server = await startServerProcess();
const ids: string[] = [];
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (ids.length < WAITERS) {
      const response = await fetch(`${server.url}/v1/requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${server.keys.agent}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ action: 'idle' }),
      });
      ids.push(((await response.json()) as { id: string }).id);
    }
  }),
);
ids.length = WAITERS;
// A key holds at most 1,000 open waits by default: spread the waiters over keys of the same agent
// (500 each), which also exercises the per-key bookkeeping.
const waiterKeys = await Promise.all(
  Array.from({ length: Math.ceil(WAITERS / 500) }, () => server.createKey('agent', 'bench-bot')),
);

const rows: { name: string; before: number; after: number }[] = [];
rows.push({ name: 'bare node:http, idle requests', ...(await bare('/wait/:id', ids, RAW)) });
rows.push({ name: 'bare Hono route, idle long requests', ...(await bare('/wait/:id', ids)) });
rows.push({ name: 'bare Hono streamSSE, idle streams', ...(await bare('/events/:id', ids)) });
for (const [name, template] of [
  ['Countersign long-poll /wait?timeout=60', '/v1/requests/:id/wait?timeout=60'],
  ['Countersign SSE /events', '/v1/requests/:id/events'],
] as const) {
  // A fresh process on the same database, so neither the creation burst nor the previous run counts.
  await server.restart();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rows.push({ name, ...(await measure(server.pid, server.url, waiterKeys, template, ids)) });
}
await server.stop();

const baseline = rows[1] as (typeof rows)[number];
printRows(
  `Server RSS with ${WAITERS.toLocaleString('en-US')} idle waiters (target ≤ 300 MB)`,
  ['case', 'RSS before MiB', 'RSS with waiters MiB', 'KiB per waiter', 'vs bare Hono'],
  rows.map((row) => [
    row.name,
    row.before.toFixed(1),
    row.after.toFixed(1),
    (((row.after - row.before) * 1024) / WAITERS).toFixed(1),
    `${(row.after / baseline.after).toFixed(2)}x`,
  ]),
);

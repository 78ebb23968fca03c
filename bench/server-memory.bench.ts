// Server RSS with 10,000 idle waiters (long-poll, then SSE), next to the same number of idle
// connections held by a bare Hono route on @hono/node-server. Clients run in their own process and
// connect in batches; each server is a fresh process, so only the waiters are counted.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printRows } from './measure.ts';
import { rssOf, startServerProcess, waitForUrl } from './server-process.ts';

const WAITERS = Number(process.env.BENCH_IDLE_WAITERS ?? 10_000);
const work = mkdtempSync(join(tmpdir(), 'countersign-bench-memory-'));

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

const CLIENT = `
import http from 'node:http';
import { readFileSync } from 'node:fs';
const [base, keysFile, pathTemplate, idsFile] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysFile, 'utf8'));
const ids = JSON.parse(readFileSync(idsFile, 'utf8'));
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
let connected = 0;
for (let index = 0; index < ids.length; index++) {
  const path = pathTemplate.replace(':id', ids[index]);
  const key = keys[index % keys.length];
  const request = http.get(base + path, { agent, headers: { authorization: 'Bearer ' + key } }, (response) => {
    // A refused waiter (a 429, say) would hold nothing and flatter the numbers.
    if (response.statusCode !== 200) console.log('refused with ' + response.statusCode);
    response.on('data', () => {});
  });
  request.on('error', () => {});
  request.on('socket', (socket) => socket.once('connect', () => { if (++connected === ids.length) console.log('open'); }));
  if (index % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 50));
}
setInterval(() => {}, 1000);
`;
writeFileSync(join(work, 'client.mjs'), CLIENT);

/** Opens the waiters against `base`, waits for the server to settle, and samples its RSS. */
async function measure(
  serverPid: number,
  base: string,
  keys: string[],
  pathTemplate: string,
  ids: string[],
) {
  writeFileSync(join(work, 'ids.json'), JSON.stringify(ids));
  writeFileSync(join(work, 'keys.json'), JSON.stringify(keys));
  const before = rssOf(serverPid);
  const client = spawn(
    process.execPath,
    [join(work, 'client.mjs'), base, join(work, 'keys.json'), pathTemplate, join(work, 'ids.json')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) =>
    client.stdout?.on('data', (chunk) => {
      if (String(chunk).includes('refused')) throw new Error(`${pathTemplate}: ${chunk}`);
      if (String(chunk).includes('open')) resolve();
    }),
  );
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
  Array.from({ length: Math.ceil(WAITERS / 500) }, async () => {
    const response = await fetch(`${server.url}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.keys.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'agent', name: 'bench-bot' }),
    });
    return ((await response.json()) as { key: string }).key;
  }),
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
rmSync(work, { recursive: true, force: true });

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

// Server RSS with 10,000 idle waiters (long-poll, then SSE), against the idle server's RSS.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printRows, startServerProcess } from './server-process.ts';

const WAITERS = Number(process.env.BENCH_IDLE_WAITERS ?? 10_000);
const server = await startServerProcess();

async function createRequests(count: number): Promise<string[]> {
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (ids.length < count) {
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
  return ids.slice(0, count);
}

// The clients live in their own process, so only the server's memory is measured.
const CLIENT = `
import http from 'node:http';
import { readFileSync } from 'node:fs';
const [url, key, mode, idsFile] = process.argv.slice(2);
const ids = JSON.parse(readFileSync(idsFile, 'utf8'));
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
let open = 0;
const opened = () => { open++; if (open === ids.length) console.log('open'); };
for (const id of ids) {
  const path = mode === 'sse' ? '/v1/requests/' + id + '/events' : '/v1/requests/' + id + '/wait?timeout=60';
  const request = http.get(url + path, { agent, headers: { authorization: 'Bearer ' + key } }, (response) => {
    response.on('data', () => {});
    if (mode === 'sse') opened();
  });
  request.on('error', () => {});
  // A long-poll only answers when it ends, so count it as open once the socket is connected.
  if (mode !== 'sse') request.on('socket', (socket) => socket.once('connect', opened));
}
setInterval(() => {}, 1000);
`;

async function withWaiters(mode: 'long-poll' | 'sse', ids: string[]): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'countersign-bench-clients-'));
  writeFileSync(join(directory, 'ids.json'), JSON.stringify(ids));
  writeFileSync(join(directory, 'client.mjs'), CLIENT);
  const child = spawn(
    process.execPath,
    [
      join(directory, 'client.mjs'),
      server.url,
      server.keys.agent,
      mode,
      join(directory, 'ids.json'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) =>
    child.stdout?.on('data', (chunk) => String(chunk).includes('open') && resolve()),
  );
  // Let the server read every request and settle before sampling.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const rss = server.rssMiB();
  child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return rss;
}

const ids = await createRequests(WAITERS);
// A fresh process on the same database, so the creation burst's garbage is not counted.
await server.restart();
await new Promise((resolve) => setTimeout(resolve, 1000));
const idle = server.rssMiB();
const longPoll = await withWaiters('long-poll', ids);
const sse = await withWaiters('sse', ids);
printRows(
  `Server RSS with ${WAITERS.toLocaleString('en-US')} idle waiters (target ≤ 300 MB)`,
  ['case', 'RSS MiB', 'vs idle server', 'KiB per waiter'],
  [
    ['idle server (after creating the requests)', idle.toFixed(1), '1.00x', '-'],
    [
      `${WAITERS} long-poll waiters`,
      longPoll.toFixed(1),
      `${(longPoll / idle).toFixed(2)}x`,
      (((longPoll - idle) * 1024) / WAITERS).toFixed(1),
    ],
    [
      `${WAITERS} SSE streams`,
      sse.toFixed(1),
      `${(sse / idle).toFixed(2)}x`,
      (((sse - idle) * 1024) / WAITERS).toFixed(1),
    ],
  ],
);
await server.stop();

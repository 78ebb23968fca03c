// Durable creates per second (each one fsynced with its event, audit entry and outbox rows) next to
// Hono's hello-world route on @hono/node-server, each in its own process, in the same run.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { printRows } from './measure.ts';
import { startServerProcess, waitForUrl } from './server-process.ts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const CONCURRENCY = 32;

const HELLO = `
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
app.get('/', (c) => c.text('Hello Hono!'));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log('listening on http://127.0.0.1:' + info.port);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function load(
  send: () => Promise<Response>,
): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const end = performance.now() + DURATION_MS;
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        const response = await send();
        await response.arrayBuffer();
        if (!response.ok) errors++;
        latencies.push(performance.now() - started);
      }
    }),
  );
  if (errors > 0) throw new Error(`${errors} requests failed`);
  latencies.sort((a, b) => a - b);
  return {
    perSecond: (latencies.length / DURATION_MS) * 1000,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? Number.NaN,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN,
  };
}

const hello = spawn(process.execPath, ['--input-type=module', '-e', HELLO], {
  cwd: fileURLToPath(new URL('../packages/server/', import.meta.url)),
  stdio: ['ignore', 'pipe', 'pipe'],
});
const helloUrl = await waitForUrl(hello);
const server = await startServerProcess();

const rows = [
  { name: 'Hono hello-world GET /', ...(await load(() => fetch(helloUrl))) },
  { name: 'Countersign GET /healthz', ...(await load(() => fetch(`${server.url}/healthz`))) },
  {
    name: 'Countersign POST /v1/requests (durable)',
    ...(await load(() =>
      fetch(`${server.url}/v1/requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${server.keys.agent}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          action: 'Deploy',
          tool: { name: 'deploy', args: { version: '2.4.1' } },
          timeout: '1h',
        }),
      }),
    )),
  },
];
const baseline = rows[0] as (typeof rows)[number];
printRows(
  `Requests per second, ${CONCURRENCY} concurrent clients for ${DURATION_MS} ms each (SQLite WAL, synchronous=FULL)`,
  ['case', 'req/s', 'p50 ms', 'p99 ms', 'vs hello-world'],
  rows.map((row) => [
    row.name,
    Math.round(row.perSecond).toLocaleString('en-US'),
    row.p50.toFixed(2),
    row.p99.toFixed(2),
    `${(row.perSecond / baseline.perSecond).toFixed(3)}x`,
  ]),
);
hello.kill('SIGTERM');
await server.stop();

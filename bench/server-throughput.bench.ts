// Throughput measured from outside: autocannon in its own process (load.ts) against `countersign
// serve` in its own, next to Hono's hello-world GET and a Hono JSON-echo POST on @hono/node-server,
// all in the same run. Cases: durable creates, decisions (approve of pending requests), and mixed
// load (creates + decisions while 1,000 long-polls wait), on SQLite, then on PostgreSQL with one
// replica and with two replicas (autocannon spreads its connections over both URLs round-robin).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openIdleWaiters } from './idle-waiters.ts';
import {
  type CpuPerRequest,
  type LoadJob,
  type LoadResult,
  runLoad,
  runLoadWithCpu,
} from './load.ts';
import { printRows } from './measure.ts';
import { type ServerProcess, startServerProcess, waitForUrl } from './server-process.ts';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_MS ?? 3000) / 1000;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONNECTIONS = 32;
// BENCH_STORES=postgres (or sqlite) runs the cases of one store only, next to the same baselines.
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const IDLE_WAITERS = 1000;
// The server caps open waits per key (1,000 by default): spread the idle waiters over this many.
const WAITER_KEYS = 4;
// One agent key sends every create: its rate limit (1,000 per second by default) is a policy for
// one agent, not what the server can do, so it is off here.
const SERVE_ARGS = ['--key-rate-limit', 'off'];

const BASELINES = `
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
app.get('/', (c) => c.text('Hello Hono!'));
app.post('/echo', async (c) => c.json(await c.req.json()));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log('listening on http://127.0.0.1:' + info.port);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const CREATE_BODY = JSON.stringify({
  action: 'Deploy',
  tool: { name: 'deploy', args: { version: '2.4.1' } },
  timeout: '1h',
});

const json = (key: string) => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
});

/** `connections` spread over `urls` for one case's duration. */
function job(
  urls: string[],
  connections: number,
  request: Omit<LoadJob, 'name' | 'urls' | 'connections' | 'durationSeconds'>,
): LoadJob {
  return { name: request.path, urls, connections, durationSeconds: DURATION_SECONDS, ...request };
}

const createJob = (server: ServerProcess, connections: number) =>
  job(server.urls, connections, {
    method: 'POST',
    path: '/v1/requests',
    headers: json(server.keys.agent),
    body: CREATE_BODY,
    collectIds: true,
  });

const decideJob = (server: ServerProcess, connections: number) =>
  job(server.urls, connections, {
    method: 'POST',
    path: '/v1/requests/:id/decisions',
    headers: json(server.keys.reviewer),
    body: JSON.stringify({ outcome: 'approve' }),
    takeIds: true,
  });

/** Runs one job on its own, from an empty queue. */
async function single(load: LoadJob): Promise<LoadResult> {
  return (await runLoad({ jobs: [load], ids: [] })).results[0] as LoadResult;
}

interface Row extends LoadResult {
  connections: number;
  note?: string;
  /** The server's CPU time per request (one replica only: the process it reads is the first). */
  cpu?: CpuPerRequest;
}

const rows: Row[] = [];
const row = (
  name: string,
  connections: number,
  result: LoadResult,
  note?: string,
  cpu?: CpuPerRequest,
) =>
  rows.push({ ...result, name, connections, ...(note ? { note } : {}), ...(cpu ? { cpu } : {}) });

/** Creates, then decisions on what they created, then both at once with idle waiters open. */
async function measureServer(label: string, server: ServerProcess): Promise<void> {
  const single = server.urls.length === 1;
  const { output: creates, cpu: createCpu } = await runLoadWithCpu(server, {
    jobs: [createJob(server, CONNECTIONS)],
    ids: [],
  });
  row(
    `${label}: POST /v1/requests (durable create)`,
    CONNECTIONS,
    creates.results[0] as LoadResult,
    undefined,
    single ? createCpu : undefined,
  );
  // The later cases need 1,000 requests to wait on and two backlogs to decide, each as many as the
  // creates made (so deciding one takes about as long as a case): top up, unmeasured.
  const backlog = Math.max(creates.queue.length, 8 * CONNECTIONS);
  const wanted = IDLE_WAITERS + 2 * backlog;
  const ids =
    creates.queue.length >= wanted
      ? creates.queue
      : (
          await runLoad({
            jobs: [{ ...createJob(server, CONNECTIONS), amount: wanted - creates.queue.length }],
            ids: creates.queue,
          })
        ).queue;
  const waiting = ids.slice(0, IDLE_WAITERS);
  const pending = ids.slice(IDLE_WAITERS);

  // Decisions stop after one backlog, so the mixed run starts with the other.
  const firstBacklog = pending.slice(0, backlog);
  const { output: decisions, cpu: decisionCpu } = await runLoadWithCpu(server, {
    jobs: [{ ...decideJob(server, CONNECTIONS), amount: firstBacklog.length }],
    ids: firstBacklog,
  });
  row(
    `${label}: POST …/decisions (approve)`,
    CONNECTIONS,
    decisions.results[0] as LoadResult,
    undefined,
    single ? decisionCpu : undefined,
  );

  const keys = await Promise.all(
    Array.from({ length: WAITER_KEYS }, () => server.createKey('agent', 'bench-bot')),
  );
  const perReplica = Math.ceil(IDLE_WAITERS / server.urls.length);
  const waiters: ChildProcess[] = await Promise.all(
    server.urls.map((url, index) =>
      openIdleWaiters(
        url,
        keys,
        '/v1/requests/:id/wait?timeout=60',
        waiting.slice(index * perReplica, (index + 1) * perReplica),
      ),
    ),
  );
  const mixedConnections = CONNECTIONS / 2;
  const mixed = await runLoad({
    jobs: [createJob(server, mixedConnections), decideJob(server, mixedConnections)],
    ids: pending.slice(firstBacklog.length),
  });
  for (const waiter of waiters) waiter.kill('SIGKILL');
  const note = mixed.starved > 0 ? `${mixed.starved} decisions found no pending request` : '';
  const [mixedCreates, mixedDecisions] = mixed.results as [LoadResult, LoadResult];
  row(`${label}: mixed, creates (+ 1,000 idle long-polls)`, mixedConnections, mixedCreates);
  row(`${label}: mixed, decisions (same run)`, mixedConnections, mixedDecisions, note);
}

async function postgresReachable(): Promise<boolean> {
  if (POSTGRES_URL === '') return false;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const baselines = spawn(process.execPath, ['--input-type=module', '-e', BASELINES], {
  cwd: fileURLToPath(new URL('../packages/server/', import.meta.url)),
  stdio: ['ignore', 'pipe', 'pipe'],
});
const baselineUrl = await waitForUrl(baselines);
row(
  'Hono hello-world GET /',
  CONNECTIONS,
  await single(job([baselineUrl], CONNECTIONS, { method: 'GET', path: '/' })),
);
const echoResult = await single(
  job([baselineUrl], CONNECTIONS, {
    method: 'POST',
    path: '/echo',
    headers: { 'content-type': 'application/json' },
    body: CREATE_BODY,
  }),
);
row('Hono JSON-echo POST /echo (baseline)', CONNECTIONS, echoResult);
baselines.kill('SIGTERM');

if (STORES.includes('sqlite')) {
  const sqlite = await startServerProcess({ args: SERVE_ARGS });
  row(
    'SQLite: GET /healthz',
    CONNECTIONS,
    await single(job(sqlite.urls, CONNECTIONS, { method: 'GET', path: '/healthz' })),
  );
  await measureServer('SQLite', sqlite);
  await sqlite.stop();
}

const postgres = STORES.includes('postgres') && (await postgresReachable());
if (postgres) {
  for (const replicas of [1, 2]) {
    const server = await startServerProcess({
      databaseUrl: POSTGRES_URL,
      replicas,
      args: SERVE_ARGS,
    });
    try {
      await measureServer(`PostgreSQL ×${replicas}`, server);
    } finally {
      await server.stop();
    }
  }
}

printRows(
  `Requests per second from autocannon in its own process, ${DURATION_SECONDS} s per case (decisions alone: until as many requests as the creates made are approved); SQLite WAL, acknowledged once synced; per-key rate limit off${postgres || !STORES.includes('postgres') ? '' : '; PostgreSQL skipped (not reachable at BENCH_POSTGRES_URL)'}`,
  [
    'case',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'vs Hono echo POST',
    'server CPU µs/req (main / all threads)',
    'note',
  ],
  rows.map((result) => [
    result.name,
    String(result.connections),
    Math.round(result.perSecond).toLocaleString('en-US'),
    String(Math.round(result.p50)),
    String(Math.round(result.p99)),
    String(result.non2xx + result.errors),
    `${(result.perSecond / echoResult.perSecond).toFixed(3)}x`,
    result.cpu ? `${Math.round(result.cpu.main)} / ${Math.round(result.cpu.all)}` : '',
    [
      result.note ?? '',
      ...Object.entries(result.statusCodes)
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, count]) => `${count}× ${code}`),
    ]
      .filter(Boolean)
      .join(', '),
  ]),
);

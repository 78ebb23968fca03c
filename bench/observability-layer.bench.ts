// The observability layer alone, in microseconds of CPU per request: the server's own HTTP
// observer (span, route, metrics), the change span and counters of a create, and span export,
// around a handler that does nothing else, called in-process with `app.request()`. Off (no SDK,
// no metrics) and on (the SDK started as `countersign serve` starts it, exporting every span to
// `otlp-sink.ts` in its own process, plus the Prometheus metrics) each run in a fresh process, in
// rotating order, BENCH_ROUNDS times (default 5); "main" is the thread serving requests, "all"
// adds the span export thread. Where the end-to-end bench (`observability.bench.ts`) drowns a
// few microseconds in a busy machine's noise, this shows them. BENCH_BASELINE_ROOT (another
// checkout, built) measures that build in the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { printRows } from './measure.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 70_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

interface PerRequest {
  main: number;
  all: number;
}

/** One process: builds the app of `root` with observability `mode`, prints µs per request. */
async function child(root: string, mode: 'off' | 'on', sink: string): Promise<void> {
  const server = join(root, 'packages/server');
  const require = createRequire(join(server, 'package.json'));
  const load = (file: string) => import(pathToFileURL(join(server, file)).href);
  // The ESM build of Hono, the one the server's modules import (not the CommonJS `require` finds).
  const hono = require.resolve('hono').replace('/dist/cjs/', '/dist/');
  const { Hono } = await import(pathToFileURL(hono).href);
  const { startTracing } = await load('node_modules/@countersign/core/dist/telemetry/node.js');
  const tracing =
    mode === 'on'
      ? await startTracing('layer-bench', { OTEL_EXPORTER_OTLP_ENDPOINT: sink })
      : undefined;
  const { observeHttp } = await load('dist/observability/http-observer.js');
  const { ServerMetrics } = await load('dist/observability/server-metrics.js');
  const { traceChange, spanClock, currentTraceparent } = await load(
    'dist/observability/server-tracing.js',
  );
  const { openSqliteStore, systemClock } = await load('dist/index.js');
  const directory = mkdtempSync(join(tmpdir(), 'countersign-bench-layer-'));
  const store = openSqliteStore({ path: join(directory, 'bench.db') });
  const metrics = mode === 'on' ? new ServerMetrics(store, systemClock) : undefined;
  const app = new Hono();
  app.use('*', observeHttp({ metrics }));
  const base = { id: 'req_layer', kind: 'approval', status: 'pending', requester: 'bench-bot' };
  app.post(
    '/v1/requests',
    (c: { get(key: string): string; json(body: unknown, status: number) }) => {
      const startedAt = spanClock();
      const request = { ...base, traceparent: c.get('traceparent') ?? currentTraceparent() };
      metrics?.changed(request, 'created', undefined);
      traceChange({ request, type: 'created' }, startedAt);
      return c.json({ id: request.id }, 201);
    },
  );
  const init = { method: 'POST', headers: { traceparent: TRACEPARENT } };
  const run = async (count: number) => {
    for (let index = 0; index < count; index += 1) {
      // A server's event loop turns between requests: timers and the export thread's answers run.
      if (index % 8 === 0) await new Promise(setImmediate);
      const response = await app.request('/v1/requests', init);
      if (response.status !== 201) throw new Error(`answered ${response.status}`);
    }
  };
  await run(REQUESTS / 4);
  // The least disturbed of seven batches, in CPU time (the busy machine's waits do not count).
  const batch = Math.round(REQUESTS / 7);
  const best = { main: Number.POSITIVE_INFINITY, all: Number.POSITIVE_INFINITY };
  for (let sample = 0; sample < 7; sample += 1) {
    const all = process.cpuUsage();
    const main = process.threadCpuUsage();
    await run(batch);
    const allUsed = process.cpuUsage(all);
    const mainUsed = process.threadCpuUsage(main);
    best.main = Math.min(best.main, (mainUsed.user + mainUsed.system) / batch);
    best.all = Math.min(best.all, (allUsed.user + allUsed.system) / batch);
  }
  await tracing?.shutdown();
  await store.close();
  rmSync(directory, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(best));
}

async function measureIn(root: string, mode: 'off' | 'on', sink: string): Promise<PerRequest> {
  const process_ = spawn(process.execPath, [import.meta.filename, 'child', root, mode, sink], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  process_.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => process_.once('exit', resolve));
  if (code !== 0) throw new Error(`the ${mode} run exited with ${code}`);
  return JSON.parse(output) as PerRequest;
}

if (process.argv[2] === 'child') {
  const [, , , root, mode, sink] = process.argv;
  await child(root as string, mode as 'off' | 'on', sink as string);
} else {
  const sink = spawn(process.execPath, [join(import.meta.dirname, 'otlp-sink.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve) => {
    createInterface({ input: sink.stdout }).once('line', (line) => resolve(line.slice(5)));
  });
  const sinkUrl = `http://127.0.0.1:${port}`;
  const builds = [{ name: 'this build', root: join(import.meta.dirname, '..') }];
  const baseline = process.env.BENCH_BASELINE_ROOT;
  if (baseline) builds.push({ name: 'baseline build', root: baseline });
  const runs = builds.flatMap((build) =>
    (['off', 'on'] as const).map((mode) => ({ build, mode, results: [] as PerRequest[] })),
  );
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let turn = 0; turn < runs.length; turn += 1) {
        const run = runs[(round + turn) % runs.length] as (typeof runs)[number];
        run.results.push(await measureIn(run.build.root, run.mode, sinkUrl));
      }
    }
  } finally {
    sink.stdin.end();
    sink.kill();
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  const of = (build: string, mode: string, pick: (result: PerRequest) => number) =>
    median(
      (runs.find((run) => run.build.name === build && run.mode === mode)?.results ?? []).map(pick),
    );
  printRows(
    `The observability layer in-process: CPU µs per request (a create's spans, metrics and export around an empty handler), median of ${ROUNDS} rotating rounds of ${REQUESTS.toLocaleString('en-US')} requests, best of 7 batches each`,
    ['build', 'thread', 'off', 'on', 'on − off'],
    builds.flatMap(({ name }) =>
      (['main', 'all'] as const).map((thread) => {
        const off = of(name, 'off', (result) => result[thread]);
        const on = of(name, 'on', (result) => result[thread]);
        return [name, thread, off.toFixed(1), on.toFixed(1), (on - off).toFixed(1)];
      }),
    ),
  );
}

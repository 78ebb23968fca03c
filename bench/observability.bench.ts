// Metrics and tracing on versus off: durable creates, decisions and decision → resume latency,
// against two `countersign serve` processes on SQLite in the same run. "On" serves /metrics on a
// loopback port (scraped every second, as Prometheus would, a little more often) and exports every
// span over OTLP/HTTP to a collector stand-in in this process. Both log at `warn`, so the request
// lines (a constant cost of their own) do not blur the comparison. Keep runs short: BENCH_DURATION_MS.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type LoadJob, type LoadResult, runLoad } from './load.ts';
import { printRows } from './measure.ts';
import { percentiles, type ServerProcess, startServerProcess } from './server-process.ts';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_MS ?? 2000) / 1000;
const CONNECTIONS = 16;
const RESUMES = Number(process.env.BENCH_RESUMES ?? 200);

// Accepts OTLP/HTTP exports and counts their bytes, like a collector that drops everything.
let exportedBytes = 0;
const collector = createServer((request, response) => {
  request.on('data', (chunk: Buffer) => {
    exportedBytes += chunk.length;
  });
  request.on('end', () =>
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  );
});
await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;

const json = (key: string) => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
});
const CREATE_BODY = JSON.stringify({
  action: 'Deploy',
  tool: { name: 'deploy', args: { version: '2.4.1' } },
  timeout: '1h',
});

function createJob(server: ServerProcess): LoadJob {
  return {
    name: 'create',
    urls: server.urls,
    connections: CONNECTIONS,
    durationSeconds: DURATION_SECONDS,
    method: 'POST',
    path: '/v1/requests',
    headers: {
      ...json(server.keys.agent),
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    },
    body: CREATE_BODY,
    collectIds: true,
  };
}

function decideJob(server: ServerProcess, amount: number): LoadJob {
  return {
    name: 'decide',
    urls: server.urls,
    connections: CONNECTIONS,
    durationSeconds: DURATION_SECONDS,
    amount,
    method: 'POST',
    path: '/v1/requests/:id/decisions',
    headers: json(server.keys.reviewer),
    body: JSON.stringify({ outcome: 'approve' }),
    takeIds: true,
  };
}

/** Decision → the long-poll's answer, one request at a time, in milliseconds. */
async function resumeLatencies(server: ServerProcess, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const created = await fetch(`${server.url}/v1/requests`, {
      method: 'POST',
      headers: json(server.keys.agent),
      body: CREATE_BODY,
    });
    const { id } = (await created.json()) as { id: string };
    let resumedAt = 0;
    const waiting = fetch(`${server.url}/v1/requests/${id}/wait?timeout=30`, {
      headers: json(server.keys.agent),
    }).then(async (response) => {
      await response.text();
      resumedAt = performance.now();
    });
    // The wait must be parked before the decision, or it would answer from the read.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const decidedAt = performance.now();
    await fetch(`${server.url}/v1/requests/${id}/decisions`, {
      method: 'POST',
      headers: json(server.keys.reviewer),
      body: JSON.stringify({ outcome: 'approve' }),
    }).then((response) => response.text());
    await waiting;
    latencies.push(resumedAt - decidedAt);
  }
  return latencies;
}

interface Measured {
  creates: LoadResult;
  decisions: LoadResult;
  resume: { p50: number; p99: number };
}

async function measure(server: ServerProcess): Promise<Measured> {
  const created = await runLoad({ jobs: [createJob(server)], ids: [] });
  const decided = await runLoad({
    jobs: [decideJob(server, created.queue.length)],
    ids: created.queue,
  });
  const resume = percentiles(await resumeLatencies(server, RESUMES));
  return {
    creates: created.results[0] as LoadResult,
    decisions: decided.results[0] as LoadResult,
    resume,
  };
}

const off = await startServerProcess({ args: ['--log-level', 'warn'] });
const on = await startServerProcess({
  args: [
    '--log-level',
    'warn',
    '--metrics-port',
    '0',
    '--metrics-token',
    'bench-metrics-token-0123',
  ],
  env: { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_SERVICE_NAME: 'countersign-bench' },
});
const scraper = setInterval(() => {
  fetch(`${on.url}/metrics`, { headers: { authorization: 'Bearer bench-metrics-token-0123' } })
    .then((response) => response.text())
    .catch(() => undefined);
}, 1000);
try {
  // Off, on, off, on: the machine is shared, so alternating spreads its noise over both.
  const rounds: { off: Measured[]; on: Measured[] } = { off: [], on: [] };
  for (let round = 0; round < 2; round += 1) {
    rounds.off.push(await measure(off));
    rounds.on.push(await measure(on));
  }
  const best = (list: Measured[], pick: (m: Measured) => number, higher: boolean) =>
    list.map(pick).reduce((a, b) => (higher ? Math.max(a, b) : Math.min(a, b)));
  const cases: [string, (m: Measured) => number, boolean, string][] = [
    ['POST /v1/requests (durable create), req/s', (m) => m.creates.perSecond, true, ''],
    ['POST …/decisions (approve), req/s', (m) => m.decisions.perSecond, true, ''],
    ['decision → long-poll resume p50, ms', (m) => m.resume.p50, false, ''],
    ['decision → long-poll resume p99, ms', (m) => m.resume.p99, false, ''],
  ];
  printRows(
    `Metrics + tracing on vs off, SQLite, ${DURATION_SECONDS} s per throughput case, ${CONNECTIONS} connections, ${RESUMES} sequential resumes; best of 2 alternating rounds; ${Math.round(exportedBytes / 1024)} KiB of spans exported`,
    ['case', 'off', 'on', 'on / off'],
    cases.map(([name, pick, higher]) => {
      const a = best(rounds.off, pick, higher);
      const b = best(rounds.on, pick, higher);
      return [name, a.toFixed(higher ? 0 : 2), b.toFixed(higher ? 0 : 2), (b / a).toFixed(3)];
    }),
  );
} finally {
  clearInterval(scraper);
  await off.stop();
  await on.stop();
  collector.close();
}

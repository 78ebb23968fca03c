// Metrics and tracing on versus off: durable creates, decisions and decision → resume latency,
// against two `countersign serve` processes on SQLite in the same run. "On" serves /metrics on a
// loopback port (scraped every second, as Prometheus would, a little more often) and exports every
// span over OTLP/HTTP to a collector stand-in in a process of its own (`otlp-sink.ts`). Both log at
// `warn`, so the request lines (a constant cost of their own) do not blur the comparison. The
// servers are measured in turn, in an order that rotates each round, and each ratio is the median
// of the rounds' own ratios. Throughput on a shared machine swings with its other load and with
// fsync latency, so each round also sends creates, then decisions, at a fixed rate (BENCH_RATE,
// 200/s) to every server at once, and reports the server's CPU time per request: the main thread
// (where requests run) and all threads (the span export thread too). Measured side by side, the
// machine's other load weighs on every server alike. BENCH_ROUNDS (default 5) and BENCH_DURATION_MS keep runs short;
// BENCH_BASELINE_BIN (another build's `packages/server/bin/countersign.js`) adds that build's
// off and on servers to the same run, to compare a change with the build before it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import {
  type CpuPerRequest,
  type LoadJob,
  type LoadResult,
  runLoad,
  runLoadWithCpu,
} from './load.ts';
import { printRows } from './measure.ts';
import { percentiles, type ServerProcess, startServerProcess } from './server-process.ts';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_MS ?? 2000) / 1000;
const CONNECTIONS = 16;
const RESUMES = Number(process.env.BENCH_RESUMES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const BASELINE_BIN = process.env.BENCH_BASELINE_BIN;
const METRICS_TOKEN = 'bench-metrics-token-0123';

const sink = spawn(process.execPath, [join(import.meta.dirname, 'otlp-sink.ts')], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const sinkLines = createInterface({ input: sink.stdout });
const sinkPort = await new Promise<number>((resolve) => {
  sinkLines.once('line', (line) => resolve(Number(line.replace('port ', ''))));
});
const collectorUrl = `http://127.0.0.1:${sinkPort}`;

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
  createCpu: CpuPerRequest;
  decisionCpu: CpuPerRequest;
  resume: { p50: number; p99: number };
}

/** Saturating creates and decisions, then sequential resumes, on one server (the others idle). */
async function throughput(server: ServerProcess) {
  const created = await runLoad({ jobs: [createJob(server)], ids: [] });
  const decided = await runLoad({
    jobs: [decideJob(server, created.queue.length)],
    ids: created.queue,
  });
  return {
    creates: created.results[0] as LoadResult,
    decisions: decided.results[0] as LoadResult,
    resume: percentiles(await resumeLatencies(server, RESUMES)),
  };
}

/**
 * Creates, then decisions, at the fixed rate on every server at once (a load generator each),
 * so that whatever else the machine does at that moment weighs on all of them alike.
 */
async function pacedCpu(list: ServerProcess[]) {
  const creates = await Promise.all(
    list.map((server) =>
      runLoadWithCpu(server, { jobs: [{ ...createJob(server), overallRate: RATE }], ids: [] }),
    ),
  );
  const decisions = await Promise.all(
    list.map((server, index) => {
      const ids = creates[index]?.output.queue ?? [];
      return runLoadWithCpu(server, {
        jobs: [{ ...decideJob(server, ids.length), overallRate: RATE }],
        ids,
      });
    }),
  );
  return list.map((_, index) => ({
    createCpu: creates[index]?.cpu as CpuPerRequest,
    decisionCpu: decisions[index]?.cpu as CpuPerRequest,
  }));
}

/** One build's pair of servers: observability off, and metrics + tracing on. */
interface Build {
  name: string;
  off: ServerProcess;
  on: ServerProcess;
}

async function startBuild(name: string, bin: string | undefined): Promise<Build> {
  const args = ['--log-level', 'warn'];
  const off = await startServerProcess({ args, ...(bin ? { bin } : {}) });
  const on = await startServerProcess({
    args: [...args, '--metrics-port', '0', '--metrics-token', METRICS_TOKEN],
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_SERVICE_NAME: 'countersign-bench' },
    ...(bin ? { bin } : {}),
  });
  return { name, off, on };
}

const builds = [await startBuild('this build', undefined)];
if (BASELINE_BIN) builds.push(await startBuild('baseline build', BASELINE_BIN));
const servers = builds.flatMap((build) => [build.off, build.on]);
const scraper = setInterval(() => {
  for (const { on } of builds) {
    fetch(`${on.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
      .then((response) => response.text())
      .catch(() => undefined);
  }
}, 1000);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
    : (sorted[Math.floor(middle)] as number);
};
try {
  // The machine is shared: every server runs once per round, in an order that rotates, so the
  // noise and any drift (the databases grow) spread over all of them.
  const results = new Map<ServerProcess, Measured[]>(servers.map((server) => [server, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    const saturated = new Map<ServerProcess, Awaited<ReturnType<typeof throughput>>>();
    for (let turn = 0; turn < servers.length; turn += 1) {
      const server = servers[(round + turn) % servers.length] as ServerProcess;
      saturated.set(server, await throughput(server));
    }
    const paced = await pacedCpu(servers);
    servers.forEach((server, index) => {
      const measured = { ...saturated.get(server), ...paced[index] } as Measured;
      results.get(server)?.push(measured);
    });
  }
  // Each case: its name, what it reads, and the digits to print.
  const cases: [string, (m: Measured) => number, number][] = [
    ['POST /v1/requests (durable create), req/s', (m) => m.creates.perSecond, 0],
    ['POST …/decisions (approve), req/s', (m) => m.decisions.perSecond, 0],
    [`create at ${RATE}/s, main-thread CPU µs/request`, (m) => m.createCpu.main, 0],
    [`create at ${RATE}/s, all-threads CPU µs/request`, (m) => m.createCpu.all, 0],
    [`decision at ${RATE}/s, main-thread CPU µs/request`, (m) => m.decisionCpu.main, 0],
    [`decision at ${RATE}/s, all-threads CPU µs/request`, (m) => m.decisionCpu.all, 0],
    ['decision → long-poll resume p50, ms', (m) => m.resume.p50, 2],
    ['decision → long-poll resume p99, ms', (m) => m.resume.p99, 2],
  ];
  sink.stdin.end();
  const bytes = await new Promise<number>((resolve) => {
    sinkLines.on('line', (line) => {
      if (line.startsWith('bytes ')) resolve(Number(line.slice(6)));
    });
  });
  const columns = builds.flatMap((build) => {
    const suffix = builds.length > 1 ? ` (${build.name})` : '';
    return [`off${suffix}`, `on${suffix}`, `on / off${suffix}`, `rounds' range${suffix}`];
  });
  printRows(
    `Metrics + tracing on vs off, SQLite, ${DURATION_SECONDS} s per throughput case, ${CONNECTIONS} connections, ${RESUMES} sequential resumes; medians of ${ROUNDS} rotating rounds (on / off: the median of each round's ratio); ${Math.round(bytes / 1024)} KiB of spans exported`,
    ['case', ...columns],
    cases.map(([name, pick, digits]) => [
      name,
      ...builds.flatMap((build) => {
        const off = (results.get(build.off) ?? []).map(pick);
        const on = (results.get(build.on) ?? []).map(pick);
        const ratios = on.map((value, round) => value / (off[round] as number));
        // The spread of the rounds' own ratios: how far one round can be trusted on this machine.
        const range = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
        return [
          median(off).toFixed(digits),
          median(on).toFixed(digits),
          median(ratios).toFixed(3),
          range,
        ];
      }),
    ]),
  );
} finally {
  clearInterval(scraper);
  await Promise.all(servers.map((server) => server.stop()));
  sink.kill();
}

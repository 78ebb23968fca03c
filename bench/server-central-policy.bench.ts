// Emergency stop → every one of 100 connected gates denying, and policy push → every gate on the
// new version, against one `countersign serve` process on loopback. The baseline in the same run is
// the fallback a gate has without the stream: revalidating GET /v1/control (ETag) every second.
import { performance } from 'node:perf_hooks';
import { type RemotePolicy, remotePolicy } from '@countersign/core';
import { printRows } from './measure.ts';
import { percentiles, startServerProcess } from './server-process.ts';

const GATES = Number(process.env.BENCH_GATES ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const POLL_MS = 1000;
const server = await startServerProcess();
const PROBE = { toolName: 'read_file', args: {} };

async function admin(method: string, path: string, body?: unknown): Promise<{ version?: number }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.keys.admin}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? (JSON.parse(text) as { version?: number }) : {};
}

const policyText = (round: number) =>
  `version: 1\ndefault: deny\nrules:\n  - name: reads-${round}\n    tools: ["read_*"]\n    action: allow\n`;

/** A gate that only revalidates: what it knows, refreshed every POLL_MS with If-None-Match. */
function pollingGate() {
  let etag = '';
  let state: { stop: unknown; policy: { version: number } | null } = { stop: null, policy: null };
  let stopped = false;
  const loop = (async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_MS));
    while (!stopped) {
      const response = await fetch(`${server.url}/v1/control?policy=bench`, {
        headers: { authorization: `Bearer ${server.keys.agent}`, 'if-none-match': etag },
      });
      if (response.status === 200) {
        etag = response.headers.get('etag') ?? '';
        state = (await response.json()) as typeof state;
      } else await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return {
    denies: () => state.stop !== null,
    version: () => state.policy?.version,
    close: async () => {
      stopped = true;
      await loop;
    },
  };
}

interface Probe {
  denies(): boolean;
  version(): number | undefined;
}

/** Waits until `done(gate)` holds for every gate; returns each gate's time from `startedAt`. */
async function timeUntil(gates: Probe[], done: (gate: Probe) => boolean, startedAt: number) {
  const times = new Array<number>(gates.length).fill(Number.NaN);
  let left = gates.length;
  while (left > 0) {
    const now = performance.now();
    gates.forEach((gate, index) => {
      if (Number.isNaN(times[index]) && done(gate)) {
        times[index] = now - startedAt;
        left -= 1;
      }
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return times;
}

async function rounds(gates: Probe[]) {
  const stop: number[] = [];
  const push: number[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // A random moment, so the pollers' phases do not line up with the command.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_MS));
    let startedAt = performance.now();
    await admin('POST', '/v1/stops', { scope: 'all', reason: 'bench' });
    stop.push(...(await timeUntil(gates, (gate) => gate.denies(), startedAt)));
    await admin('DELETE', '/v1/stops/all');
    await timeUntil(gates, (gate) => !gate.denies(), performance.now());
    await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_MS));
    startedAt = performance.now();
    const { version } = await admin('POST', '/v1/policies/bench/versions', {
      text: policyText(round),
    });
    push.push(...(await timeUntil(gates, (gate) => gate.version() === version, startedAt)));
  }
  return { stop: percentiles(stop), push: percentiles(push) };
}

await admin('POST', '/v1/policies/bench/versions', { text: policyText(0) });

const streaming: RemotePolicy[] = Array.from({ length: GATES }, () =>
  remotePolicy('bench', { baseUrl: server.url, apiKey: server.keys.agent, log: () => undefined }),
);
await Promise.all(streaming.map((policy) => policy.ready));
while (!streaming.every((policy) => policy.connected)) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const streamed = await rounds(
  streaming.map((policy) => ({
    denies: () => policy.evaluate(PROBE).action === 'deny',
    version: () => policy.version,
  })),
);
for (const policy of streaming) policy.close();

const pollers = Array.from({ length: GATES }, pollingGate);
await timeUntil(pollers, (gate) => gate.version() !== undefined, performance.now());
const polled = await rounds(pollers);
await Promise.all(pollers.map((gate) => gate.close()));

const row = (
  name: string,
  result: { p50: number; p99: number; max: number },
  baseline: { p99: number },
) => [
  name,
  result.p50.toFixed(1),
  result.p99.toFixed(1),
  result.max.toFixed(1),
  `${(result.p99 / baseline.p99).toFixed(3)}x`,
];
printRows(
  `Emergency stop and policy push, ${GATES} connected gates, ${ROUNDS} rounds (ms; stop target p99 ≤ 1000)`,
  ['case', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs polling'],
  [
    row(`stop → all deny, revalidating every ${POLL_MS} ms (baseline)`, polled.stop, polled.stop),
    row('stop → all deny, control stream', streamed.stop, polled.stop),
    row(
      `push → all on new version, revalidating every ${POLL_MS} ms (baseline)`,
      polled.push,
      polled.push,
    ),
    row('push → all on new version, control stream', streamed.push, polled.push),
  ],
);
await server.stop();

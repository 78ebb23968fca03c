// Decision → resume latency for 1,000 concurrent waiters over SSE and long-poll, against a client
// polling every 3 seconds, on a `countersign serve` process on loopback; and the same on a second
// process with email and Slack notifications on (an SMTP relay and the Slack stand-in in a process
// of their own), where every create and decision also sends notifications, to show they cost the
// waiters nothing. The two servers take turns, BENCH_ROUNDS rounds (default 3) of a thousand waiters
// each, the order swapped every round, so both see the same machine load; each row pools its rounds.
import { performance } from 'node:perf_hooks';
import { printRows } from './measure.ts';
import { percentiles, type ServerProcess, startServerProcess } from './server-process.ts';
import { startSinks } from './sinks-process.ts';

const WAITERS = Number(process.env.BENCH_WAITERS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
// Arrivals of the notifying server's first messages (an email and a Slack post per request).
const arrived = { email: 0, slack: 0 };
let created = 0;
const sinks = await startSinks((kind) => {
  if (kind === 'email' || kind === 'slack') arrived[kind] += 1;
});
// BENCH_BIN runs another build's `bin/countersign.js` on both servers (a build from before a change).
const build = process.env.BENCH_BIN ? { bin: process.env.BENCH_BIN } : {};
const quiet = await startServerProcess(build);
// BENCH_CHANNELS (default `email,slack`) picks the notifying server's channels.
const channels = new Set((process.env.BENCH_CHANNELS ?? 'email,slack').split(','));
const notifying = await startServerProcess({
  ...build,
  args: [
    ...(channels.has('email') ? ['--smtp-url', sinks.smtpUrl] : []),
    ...(channels.has('slack')
      ? [
          ...['--slack-api-url', sinks.slackApiUrl, '--slack-bot-token', 'xoxb-bench-token-01'],
          ...['--slack-signing-secret', 'benchsigningsecret'],
        ]
      : []),
  ],
});
// The reviewer has an address on both channels; the other server has no channels to use them.
for (const server of [quiet, notifying]) {
  const response = await fetch(`${server.url}/v1/users/bench-reviewer`, {
    method: 'PATCH',
    headers: { ...auth(server.keys.admin), 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'reviewer@example.test', slackUserId: 'U0REVIEWER' }),
  });
  if (!response.ok) throw new Error(`PATCH /v1/users answered ${response.status}`);
}
let server: ServerProcess = quiet;

async function createRequests(count: number): Promise<string[]> {
  const ids: string[] = [];
  const worker = async () => {
    while (ids.length < count) {
      const response = await fetch(`${server.url}/v1/requests`, {
        method: 'POST',
        headers: { ...auth(server.keys.agent), 'content-type': 'application/json' },
        body: JSON.stringify({
          action: 'bench',
          assignees: ['user:bench-reviewer'],
          tool: { name: 'deploy', args: { n: ids.length } },
        }),
      });
      ids.push(((await response.json()) as { id: string }).id);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return ids.slice(0, count);
}

interface Waiter {
  ready: Promise<void>;
  resumed: Promise<number>;
  stop(): void;
}

function sseWaiter(id: string): Waiter {
  const controller = new AbortController();
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const resumed = (async () => {
    const response = await fetch(`${server.url}/v1/requests/${id}/events`, {
      headers: auth(server.keys.agent),
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      if (buffer.includes('event: created')) ready();
      if (buffer.includes('event: decided')) {
        const at = performance.now();
        controller.abort();
        return at;
      }
    }
    throw new Error('stream ended');
  })().catch((error) => (controller.signal.aborted ? performance.now() : Promise.reject(error)));
  return { ready: readyPromise, resumed, stop: () => controller.abort() };
}

function longPollWaiter(id: string): Waiter {
  const resumed = (async () => {
    for (;;) {
      const response = await fetch(`${server.url}/v1/requests/${id}/wait?timeout=60`, {
        headers: auth(server.keys.agent),
      });
      const request = (await response.json()) as { status: string };
      if (request.status !== 'pending') return performance.now();
    }
  })();
  // The server subscribes as soon as it reads the request; give the 1,000 polls time to arrive.
  return {
    ready: new Promise((resolve) => setTimeout(resolve, 1500)),
    resumed,
    stop: () => undefined,
  };
}

function pollingWaiter(id: string, intervalMs: number): Waiter {
  let stopped = false;
  const resumed = (async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * intervalMs));
    while (!stopped) {
      const response = await fetch(`${server.url}/v1/requests/${id}`, {
        headers: auth(server.keys.agent),
      });
      const request = (await response.json()) as { status: string };
      if (request.status !== 'pending') return performance.now();
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    return Number.NaN;
  })();
  return {
    ready: Promise.resolve(),
    resumed,
    stop: () => {
      stopped = true;
    },
  };
}

async function run(makeWaiter: (id: string) => Waiter): Promise<number[]> {
  const ids = await createRequests(WAITERS);
  const waiters = ids.map((id) => makeWaiter(id));
  await Promise.all(waiters.map((waiter) => waiter.ready));
  if (server === notifying) {
    // Decide once the creates' messages are out: the decisions' own notifications are measured,
    // not the backlog of a thousand creates.
    created += ids.length;
    const short = (kind: 'email' | 'slack') => channels.has(kind) && arrived[kind] < created;
    while (short('email') || short('slack')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const decidedAt: number[] = [];
  for (const id of ids) {
    decidedAt.push(performance.now());
    const response = await fetch(`${server.url}/v1/requests/${id}/decisions`, {
      method: 'POST',
      headers: { ...auth(server.keys.reviewer), 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve' }),
    });
    await response.arrayBuffer();
  }
  const resumedAt = await Promise.all(waiters.map((waiter) => waiter.resumed));
  for (const waiter of waiters) waiter.stop();
  return resumedAt.map((at, index) => at - (decidedAt[index] as number));
}

server = quiet;
const polling = percentiles(await run((id) => pollingWaiter(id, 3000)));
const transports = [
  { name: 'long-poll /wait', makeWaiter: longPollWaiter },
  { name: 'SSE /events', makeWaiter: sseWaiter },
];
// Latencies by transport and server, pooled over the rounds.
const pooled = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const { name, makeWaiter } of transports) {
    const order = round % 2 === 0 ? [quiet, notifying] : [notifying, quiet];
    for (const target of order) {
      server = target;
      const key = `${name}|${target === notifying ? 'on' : 'off'}`;
      pooled.set(key, [...(pooled.get(key) ?? []), ...(await run(makeWaiter))]);
    }
  }
}
const row = (name: string, notifications: string) => {
  const measured = percentiles(pooled.get(`${name}|${notifications}`) ?? []);
  const off = percentiles(pooled.get(`${name}|off`) ?? []);
  return [
    name,
    notifications,
    measured.p50.toFixed(2),
    measured.p99.toFixed(2),
    measured.max.toFixed(2),
    `${(measured.p50 / polling.p50).toFixed(4)}x`,
    `${(measured.p99 / polling.p99).toFixed(4)}x`,
    `${(measured.p50 / off.p50).toFixed(2)}x`,
    `${(measured.p99 / off.p99).toFixed(2)}x`,
  ];
};
printRows(
  `Decision → resume latency, ${WAITERS} concurrent waiters, decisions one after another, ${ROUNDS} rounds per row (ms; target p99 ≤ 10)`,
  [
    'transport',
    'notifications',
    'p50 ms',
    'p99 ms',
    'max ms',
    'p50 vs polling',
    'p99 vs polling',
    'p50 vs off',
    'p99 vs off',
  ],
  [
    [
      '3 s polling client (baseline)',
      'off',
      polling.p50.toFixed(2),
      polling.p99.toFixed(2),
      polling.max.toFixed(2),
      '1.0000x',
      '1.0000x',
      '',
      '',
    ],
    ...transports.flatMap(({ name }) => [row(name, 'off'), row(name, 'on')]),
  ],
);
await quiet.stop();
await notifying.stop();
await sinks.stop();

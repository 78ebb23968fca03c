// Created → first notification handed over: for 1,000 requests, the time from sending the create
// to the email reaching an SMTP server and the Slack message reaching the Slack Web API (through
// the real nodemailer and @slack/web-api clients), next to the request.created webhook reaching
// an HTTP receiver, all in the same run. One server in this process (SQLite, the default outbox
// worker); the receivers run in a process of their own (`notify-sinks.ts`), as a relay and Slack
// would, and stamp each arrival on the clock both processes share.
//
// BENCH_CHANNELS (default `email,slack`) picks the channels; `none` runs the webhook alone and
// `memory` a channel that only records, to tell the framework's cost from the clients'.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addUser, createApiKey, openSqliteStore, startServer } from '@countersign/server';
import { printRows } from './measure.ts';
import { percentiles } from './server-process.ts';
import { startSinks } from './sinks-process.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);
const channels = new Set((process.env.BENCH_CHANNELS ?? 'email,slack').split(','));
const kinds = ['webhook', ...['email', 'slack', 'memory'].filter((kind) => channels.has(kind))];
const now = () => performance.timeOrigin + performance.now();
const sentAt = new Map<string, number>();
// Arrivals by kind and request: a delivery can arrive before its create's answer is read.
const arrivals = new Map(kinds.map((kind) => [kind, new Map<string, number>()]));
let done = () => undefined as undefined;
const finished = new Promise<void>((resolve) => {
  done = () => resolve() as undefined;
});
const record = (kind: string, id: string, at: number) => {
  const into = arrivals.get(kind);
  if (into && !into.has(id)) into.set(id, at);
  if ([...arrivals.values()].every((arrived) => arrived.size >= REQUESTS)) done();
};

const sinks = await startSinks(record);

const directory = mkdtempSync(join(tmpdir(), 'countersign-bench-notify-'));
const store = openSqliteStore({ path: join(directory, 'bench.db'), synchronous: 'normal' });
const server = await startServer({
  store,
  port: 0,
  logLevel: 'warn',
  ...(channels.has('email') ? { smtpUrl: sinks.smtpUrl } : {}),
  ...(channels.has('slack')
    ? {
        slack: {
          botToken: 'xoxb-bench-token-01',
          signingSecret: 'benchsigningsecret01',
          apiUrl: sinks.slackApiUrl,
        },
      }
    : {}),
  ...(channels.has('memory')
    ? {
        notificationChannels: [
          {
            name: 'memory',
            addressOf: (user: { name: string }) => user.name,
            deliver: async (delivery: { request: { id: string } }) =>
              record('memory', delivery.request.id, now()),
          },
        ],
      }
    : {}),
});
const keys = await store.transaction(async (tx) => {
  await addUser(tx, 'alice', { email: 'alice@example.test', slackUserId: 'U0ALICE' });
  await createApiKey(tx, { role: 'reviewer', name: 'alice' });
  return {
    agent: (await createApiKey(tx, { role: 'agent', name: 'bench' })).key,
    admin: (await createApiKey(tx, { role: 'admin', name: 'bench-admin' })).key,
  };
});
const post = (key: string, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
await post(keys.admin, '/v1/webhooks', {
  url: sinks.webhookUrl,
  events: ['request.created'],
});

let next = 0;
const create = async () => {
  while (next < REQUESTS) {
    const n = next++;
    const started = now();
    const response = await post(keys.agent, '/v1/requests', {
      action: `bench ${n}`,
      assignees: ['user:alice'],
      tool: { name: 'deploy', args: { n } },
    });
    sentAt.set(((await response.json()) as { id: string }).id, started);
  }
};
const began = now();
await Promise.all(Array.from({ length: CONCURRENCY }, create));
const timeout = setTimeout(done, 60_000);
await finished;
clearTimeout(timeout);
const seconds = (now() - began) / 1000;

const names: Record<string, string> = {
  webhook: 'request.created webhook (HTTP receiver)',
  email: 'email handed to SMTP (first notification)',
  slack: 'Slack chat.postMessage (Web API stand-in)',
  memory: 'memory channel (records only)',
};
const stats = kinds.map((kind) => {
  const values = [...(arrivals.get(kind) ?? [])].flatMap(([id, at]) => {
    const started = sentAt.get(id);
    return started === undefined ? [] : [at - started];
  });
  return { kind, count: values.length, ...percentiles(values) };
});
const webhook = stats[0] as (typeof stats)[number];
printRows(
  `Created → handed over, ${REQUESTS} requests, ${CONCURRENCY} concurrent creates (${seconds.toFixed(1)} s; target p99 ≤ 250 ms)`,
  ['case', 'arrived', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs webhook'],
  stats.map((row) => [
    names[row.kind] ?? row.kind,
    String(row.count),
    row.p50.toFixed(1),
    row.p99.toFixed(1),
    row.max.toFixed(1),
    `${(row.p99 / webhook.p99).toFixed(2)}x`,
  ]),
);
await server.close();
await sinks.stop();
rmSync(directory, { recursive: true, force: true });

// Created → first notification handed over: for 1,000 requests, the time from sending the create
// to the email reaching an SMTP server on loopback, next to the request.created webhook reaching
// an HTTP receiver in the same run. One server in this process (SQLite, the default outbox worker
// woken on each commit); the SMTP server runs in a process of its own (`smtp-sink.ts`), as a relay
// would, and the webhook receiver in this one.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { addUser, createApiKey, openSqliteStore, startServer } from '@countersign/server';
import { printRows } from './measure.ts';
import { percentiles } from './server-process.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);
const sentAt = new Map<string, number>();
// Arrival times by request: a delivery can arrive before its create's answer is read.
const mailed = new Map<string, number>();
const hooked = new Map<string, number>();
let done = () => undefined as undefined;
const finished = new Promise<void>((resolve) => {
  done = () => resolve() as undefined;
});
const record = (into: Map<string, number>, id: string | undefined) => {
  if (id && !into.has(id)) into.set(id, performance.now());
  if ((mailed.size >= REQUESTS || process.env.BENCH_EMAIL === '0') && hooked.size >= REQUESTS) {
    done();
  }
};

const smtp = spawn(process.execPath, [join(import.meta.dirname, 'smtp-sink.ts')], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const smtpPort = await new Promise<number>((resolve) => {
  createInterface({ input: smtp.stdout }).on('line', (line) => {
    if (line.startsWith('port ')) resolve(Number(line.slice(5)));
    else record(mailed, line);
  });
});
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => {
    body += chunk.toString('utf8');
  });
  request.on('end', () => {
    response.end();
    record(hooked, (JSON.parse(body) as { data: { requestId: string } }).data.requestId);
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const directory = mkdtempSync(join(tmpdir(), 'countersign-bench-notify-'));
const store = openSqliteStore({ path: join(directory, 'bench.db'), synchronous: 'normal' });
// BENCH_EMAIL=0 runs the webhooks alone, to see what the email channel adds.
const email = process.env.BENCH_EMAIL !== '0';
const server = await startServer({
  store,
  port: 0,
  logLevel: 'warn',
  ...(email ? { smtpUrl: `smtp://127.0.0.1:${smtpPort}` } : {}),
  // BENCH_EMAIL=memory: a channel that only records, to tell the framework's cost from SMTP's.
  ...(process.env.BENCH_EMAIL === 'memory'
    ? {
        smtpUrl: undefined,
        notificationChannels: [
          {
            name: 'email',
            addressOf: (user: { email?: string }) => user.email,
            deliver: async (delivery: { request: { id: string } }) =>
              record(mailed, delivery.request.id),
          },
        ],
      }
    : {}),
});
const keys = await store.transaction(async (tx) => {
  await addUser(tx, 'alice', { email: 'alice@example.test' });
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
  url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
  events: ['request.created'],
});

let next = 0;
const create = async () => {
  while (next < REQUESTS) {
    const n = next++;
    const started = performance.now();
    const response = await post(keys.agent, '/v1/requests', {
      action: `bench ${n}`,
      assignees: ['user:alice'],
      tool: { name: 'deploy', args: { n } },
    });
    sentAt.set(((await response.json()) as { id: string }).id, started);
  }
};
const began = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, create));
const timeout = setTimeout(done, 60_000);
await finished;
clearTimeout(timeout);
const seconds = (performance.now() - began) / 1000;

const row = (name: string, arrivals: Map<string, number>) => {
  const values = [...arrivals].flatMap(([id, at]) => {
    const started = sentAt.get(id);
    return started === undefined ? [] : [at - started];
  });
  const { p50, p99, max } = percentiles(values);
  return [name, String(values.length), p50.toFixed(1), p99.toFixed(1), max.toFixed(1)];
};
printRows(
  `Created → handed over, ${REQUESTS} requests, ${CONCURRENCY} concurrent creates (${seconds.toFixed(1)} s)`,
  ['case', 'delivered', 'p50 ms', 'p99 ms', 'max ms'],
  [row('request.created webhook', hooked), row('email to SMTP (first notification)', mailed)],
);
await server.close();
smtp.stdin.end();
await new Promise((resolve) => smtp.once('exit', resolve));
receiver.close();
rmSync(directory, { recursive: true, force: true });

// Created → first Slack message handed to the Slack Web API: for 1,000 requests, the time from
// sending the create to `chat.postMessage` reaching the Slack stand-in on loopback (through the
// real @slack/web-api client and the notification outbox), next to the request.created webhook
// reaching an HTTP receiver in the same run. One server in this process (SQLite).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addUser, createApiKey, openSqliteStore, startServer } from '@countersign/server';
import { SlackStandIn } from '@countersign/server/test';
import { printRows } from './measure.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const sentAt = new Map<string, number>();
const posted = new Map<string, number>();
const hooked = new Map<string, number>();
const record = (into: Map<string, number>, id: string | undefined) => {
  if (id && !into.has(id)) into.set(id, performance.now());
};

const slack = new SlackStandIn();
slack.onCall = (call) => {
  if (call.method !== 'chat.postMessage') return;
  record(posted, /req_[\w-]+/.exec(JSON.stringify(call.args.blocks))?.[0]);
};
await slack.start();
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    record(hooked, (JSON.parse(body) as { data?: { requestId?: string } }).data?.requestId);
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const directory = mkdtempSync(join(tmpdir(), 'countersign-bench-slack-'));
const store = openSqliteStore({ path: join(directory, 'bench.db') });
const server = await startServer({
  store,
  port: 0,
  logError: () => undefined,
  slack: {
    botToken: 'xoxb-bench-token-01',
    signingSecret: 'benchsigningsecret01',
    apiUrl: slack.apiUrl,
  },
});
const keys = await store.transaction(async (tx) => {
  await addUser(tx, 'alice', { slackUserId: 'U0ALICE' });
  return {
    agent: (await createApiKey(tx, { role: 'agent', name: 'bench' })).key,
    admin: (await createApiKey(tx, { role: 'admin', name: 'root' })).key,
  };
});
const call = (key: string, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((response) => response.json() as Promise<{ id: string }>);
await call(keys.admin, '/v1/webhooks', {
  url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
  events: ['request.created'],
});

for (let index = 0; index < REQUESTS; index += 1) {
  const started = performance.now();
  const { id } = await call(keys.agent, '/v1/requests', {
    action: `Deploy build ${index}`,
    tool: { name: 'deploy', args: { build: index } },
    assignees: ['user:alice'],
  });
  sentAt.set(id, started);
}
const deadline = Date.now() + 60_000;
while ((posted.size < REQUESTS || hooked.size < REQUESTS) && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

function latencies(arrivals: Map<string, number>): string[] {
  const values = [...sentAt].flatMap(([id, start]) => {
    const at = arrivals.get(id);
    return at === undefined ? [] : [at - start];
  });
  values.sort((a, b) => a - b);
  const at = (share: number) =>
    values[Math.min(values.length - 1, Math.floor(share * values.length))] ?? Number.NaN;
  return [String(values.length), at(0.5).toFixed(1), at(0.99).toFixed(1)];
}
const webhook = latencies(hooked);
const slackRow = latencies(posted);
printRows(
  `Created → first delivery, ${REQUESTS} requests one after another (ms; SQLite, one process)`,
  ['delivery', 'arrived', 'p50', 'p99', 'p99 vs webhook'],
  [
    ['webhook request.created (HTTP receiver)', ...webhook, '1.00x'],
    [
      'Slack chat.postMessage (Web API stand-in)',
      ...slackRow,
      `${(Number(slackRow[2]) / Number(webhook[2])).toFixed(2)}x`,
    ],
  ],
);

await server.close();
await slack.stop();
await new Promise((resolve) => receiver.close(resolve));
rmSync(directory, { recursive: true, force: true });

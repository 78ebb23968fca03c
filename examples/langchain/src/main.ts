// The whole demo in one command (`pnpm start`), no model API key needed:
// 1. start a Countersign server (its CLI, on a free loopback port) and a webhook receiver;
// 2. process A runs the agent: the balance lookup runs, the 500 EUR transfer needs a human, so after
//    1 s the run pauses (durable checkpoint in a file) and the process exits;
// 3. the reviewer decides (automatically here, or by you with `--manual`);
// 4. the signed `request.decided` webhook arrives; its request carries the thread id, and the
//    receiver starts process B, which resumes the thread and re-attaches to the same request.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApprovalRequest, CountersignClient } from '@countersign/core';
import { startLocalServer } from './local-server.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

const manual = process.argv.includes('--manual');
const stateDir = mkdtempSync(join(tmpdir(), 'countersign-langchain-'));
const threadId = `invoice-${Date.now()}`;
const runAgentScript = fileURLToPath(new URL('./run-agent.ts', import.meta.url));

const server = await startLocalServer(stateDir);
console.log(`Countersign server: ${server.url} (state in ${stateDir})`);
const agentEnv = {
  ...process.env,
  COUNTERSIGN_URL: server.url,
  COUNTERSIGN_API_KEY: server.keys.agent,
  COUNTERSIGN_STATE_DIR: stateDir,
};

const resumed = new Promise<void>((resolve, reject) => {
  const onTerminal = (request: ApprovalRequest) => {
    console.log(
      `\n[webhook] request ${request.id} is ${request.status}; resuming thread ${request.runId} in a new process`,
    );
    if (!request.runId) return reject(new Error('the request carries no run id'));
    agentProcess('resume', request.runId).then(resolve, reject);
  };
  startWebhookReceiver(onTerminal).then(async (receiver) => {
    const admin = new URL('/v1/webhooks', server.url);
    const response = await fetch(admin, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.keys.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: receiver.url,
        events: ['request.decided', 'request.expired', 'request.cancelled'],
      }),
    });
    if (!response.ok)
      throw new Error(`webhook subscription failed: ${response.status} ${await response.text()}`);
    receiver.useSecret(((await response.json()) as { secret: string }).secret);
    console.log(`Webhook receiver: ${receiver.url}`);
    closers.push(() => receiver.close());
    startRun().catch(reject);
  }, reject);
});
const closers: Array<() => unknown> = [() => server.stop()];

async function startRun() {
  console.log(`\n[agent A] starting thread ${threadId}`);
  await agentProcess('start', threadId);
  const reviewer = new CountersignClient({ baseUrl: server.url, apiKey: server.keys.reviewer });
  const { items } = await reviewer.list({ status: 'pending' });
  for (const request of items) {
    console.log(`\n[reviewer] pending ${request.id}: ${request.action}`);
    if (manual) {
      console.log('  Decide it yourself, for example:');
      console.log(
        `  COUNTERSIGN_URL=${server.url} COUNTERSIGN_API_KEY=${server.keys.reviewer} pnpm countersign approve ${request.id}`,
      );
      continue;
    }
    console.log('  alice lowers the amount to 250 EUR and approves');
    await reviewer.decide(request.id, {
      outcome: 'edit',
      args: { to: 'bob@example.com', amount: 250 },
      comment: 'Half now, half next month',
    });
  }
}

function agentProcess(mode: 'start' | 'resume', thread: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runAgentScript, mode, thread], {
      env: agentEnv,
      stdio: 'inherit',
    });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`agent process exited with ${code}`)),
    );
  });
}

try {
  await resumed;
  const admin = new CountersignClient({ baseUrl: server.url, apiKey: server.keys.admin });
  const all = (await admin.list({ limit: 100 })).items.filter(
    (request) => request.runId === threadId,
  );
  console.log(
    `\nRequests created for thread ${threadId}: ${all.length} (the resumed process re-attached, it did not ask again)`,
  );
} finally {
  for (const close of closers.reverse()) await close();
}

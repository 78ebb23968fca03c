// The whole board-report scenario in one command (`pnpm --filter @countersign/example-board-report
// start`), with injected time: a Countersign server on a manual clock in this process, the agent
// (src/agent.ts) as a child process that is killed during the legal wait and restarted, a legal
// reviewer who edits and approves, and the CFO's delegate who approves after the 24 h escalation.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CountersignClient, type JsonObject } from '@countersign/core';
import {
  createApiKey,
  ManualClock,
  type NewKeyOptions,
  openSqliteStore,
  startServer,
} from '@countersign/server';

const HOUR = 3_600_000;
const directory = mkdtempSync(join(tmpdir(), 'countersign-board-report-'));
const clock = new ManualClock(Date.parse('2026-10-05T09:00:00Z'));
const store = openSqliteStore({ path: join(directory, 'countersign.db') });
const server = await startServer({ store, port: 0, host: '127.0.0.1', clock });
const key = async (spec: NewKeyOptions) =>
  (await store.transaction((tx) => createApiKey(tx, spec, new Date(clock.now())))).key;
const keys = {
  admin: await key({ role: 'admin', name: 'auditor' }),
  agent: await key({ role: 'agent', name: 'board-bot' }),
  lena: await key({ role: 'reviewer', name: 'lena', groups: ['legal'] }),
  deputy: await key({ role: 'reviewer', name: 'deputy-cfo' }),
};
const as = (apiKey: string) => new CountersignClient({ baseUrl: server.url, apiKey });
const say = (line: string) => console.log(`\n[${new Date(clock.now()).toISOString()}] ${line}`);
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await server.scheduler.runDue();
  await server.outbox.runDue();
}

/** Runs the agent, echoing its lines; resolves the first match of `pattern` in its output. */
function startAgent(pattern: RegExp): { child: ChildProcess; matched: Promise<string> } {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./agent.ts', import.meta.url))], {
    env: {
      ...process.env,
      COUNTERSIGN_URL: server.url,
      COUNTERSIGN_API_KEY: keys.agent,
      BOARD_REPORT_STATE_DIR: join(directory, 'agent-state'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let seen = '';
  const matched = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').trimEnd().split('\n'))
        console.log(`  agent │ ${line}`);
      seen += chunk.toString('utf8');
      const match = pattern.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`the agent exited before ${pattern}`)));
  });
  return { child, matched };
}

try {
  say(`Countersign runs at ${server.url} on a manual clock. Starting the agent.`);
  const waitingLegal = /Waiting for legal review: (req_[\w-]+)/;
  const first = startAgent(waitingLegal);
  const legalId = await first.matched;
  say('Killing the agent while it waits for legal (SIGKILL), then starting it again.');
  first.child.kill('SIGKILL');
  const agent = startAgent(waitingLegal);
  say(
    `It re-attached to ${await agent.matched} (the same request: ${legalId === (await agent.matched)}).`,
  );
  const finished = new Promise<number | null>((resolve) => agent.child.once('exit', resolve));

  await advance(3 * HOUR);
  const legal = await as(keys.lena).get(legalId);
  const args = legal.tool?.args as { report: { summary: string[] } } & JsonObject;
  say('Legal (user:lena) removes the forecast sentence and approves the edited version.');
  await as(keys.lena).decide(legalId, {
    outcome: 'edit',
    comment: 'No forecasts in board material',
    args: {
      ...args,
      report: {
        ...args.report,
        revision: 2,
        summary: [
          ...args.report.summary.slice(0, 2),
          'Figures are unaudited; this report makes no forecast.',
        ],
      },
    },
  });

  const cfoId = await new Promise<string>((resolve) => {
    const timer = setInterval(async () => {
      const page = await as(keys.admin).list({ status: 'pending' });
      const found = page.items.find((request) => request.id !== legalId);
      if (found) {
        clearInterval(timer);
        resolve(found.id);
      }
    }, 50);
  });
  say(
    'Nobody at the CFO desk decides; 24 hours pass and the request escalates to user:deputy-cfo.',
  );
  await advance(24 * HOUR + 60_000);
  say(
    `Assignees now: ${(await as(keys.admin).get(cfoId)).assignees.join(', ')}. The deputy approves.`,
  );
  await as(keys.deputy).decide(cfoId, {
    outcome: 'approve',
    comment: 'For the CFO, who is travelling',
  });
  const code = await finished;

  const response = await fetch(`${server.url}/v1/audit?format=jsonl`, {
    headers: { authorization: `Bearer ${keys.admin}` },
  });
  say('The audit export (decisions and escalations):');
  for (const line of (await response.text()).trim().split('\n')) {
    const entry = JSON.parse(line) as {
      at: string;
      type: string;
      requestId: string;
      actor: string | null;
      data: JsonObject;
    };
    if (entry.type !== 'decided' && entry.type !== 'escalated') continue;
    const print = entry.data.decisionFingerprint ?? '';
    console.log(
      `  ${entry.at}  ${entry.requestId}  ${entry.type} ${entry.data.outcome ?? ''} by ${entry.actor ?? 'scheduler'} ${print}`,
    );
  }
  const verify = await (
    await fetch(`${server.url}/v1/audit/verify`, {
      headers: { authorization: `Bearer ${keys.admin}` },
    })
  ).json();
  console.log(`  verify: ${JSON.stringify(verify)}`);
  process.exitCode = code === 0 ? 0 : 1;
} finally {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
}

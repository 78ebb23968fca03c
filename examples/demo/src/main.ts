// The one-command demo (`pnpm start` at the repository root): a Countersign server with the
// dashboard on an embedded SQLite file, and an agent that pauses before a production deploy until
// a human decides, in the dashboard or with the CLI. See README.md.
import { fileURLToPath } from 'node:url';
import {
  type ApprovalRequest,
  CountersignClient,
  createGate,
  type GateDecision,
  loadPolicy,
} from '@countersign/core';
import { announcingService } from './announcing-service.ts';
import { runDemoAgent } from './demo-agent.ts';
import { parseDemoOptions } from './demo-options.ts';
import { startDemoServer } from './demo-server.ts';
import { decisionHelp, modelNotice } from './messages.ts';
import { chooseModel, createLanguageModel } from './model-choice.ts';
import { runRealModelAgent } from './real-model-agent.ts';
import { showWait } from './wait-display.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
let options: ReturnType<typeof parseDemoOptions>;
try {
  options = parseDemoOptions(process.argv.slice(2), process.env, here('../.countersign/demo.db'));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const policy = await loadPolicy(here('../countersign.yaml'));
const { server, agentKey, reviewerKey } = await startDemoServer(options);
const stopping = new AbortController();
let stopped = false;
async function stop(code: number): Promise<never> {
  if (!stopped) {
    stopped = true;
    stopping.abort();
    await server.close();
  }
  process.exit(code);
}
process.once('SIGINT', () => {
  console.log('\nStopping the agent and the server.');
  void stop(130);
});
process.once('SIGTERM', () => void stop(143));

const auto = options.autoApproveAfterMs;
console.log(`Countersign is running at ${server.url} (database ${options.dbPath})`);
console.log(`  Dashboard:    ${server.url}/`);
console.log(`  Reviewer key: ${reviewerKey}   (user:you, group release; sign in with it)`);
const modelChoice = chooseModel(process.env, { scripted: options.scripted });
console.log(modelNotice(modelChoice));

const reviewer = new CountersignClient({ baseUrl: server.url, apiKey: reviewerKey });
let proposals = 0;
let endWait: ((line: string) => void) | undefined;
function onPaused(request: ApprovalRequest): void {
  proposals += 1;
  console.log(decisionHelp({ request, url: server.url, reviewerKey, auto }));
  endWait = showWait(`Waiting for a human decision on ${request.id}`);
  if (auto === undefined) return;
  const reject = options.autoRejectFirst && proposals === 1;
  setTimeout(() => {
    const decision = reject
      ? {
          outcome: 'reject' as const,
          reason: 'v2.4.1 has the checkout migration bug; ship the fix as a canary first',
        }
      : { outcome: 'approve' as const, comment: 'Ship it (auto-approved by the demo)' };
    reviewer.decide(request.id, decision).catch((error: unknown) => {
      console.error(`The automatic reviewer could not decide: ${(error as Error).message}`);
    });
  }, auto).unref();
}

const gate = createGate({
  policy,
  service: announcingService(
    new CountersignClient({ baseUrl: server.url, apiKey: agentKey }),
    onPaused,
  ),
});
const agentOptions = {
  runId: `demo-${Date.now()}`,
  signal: stopping.signal,
  hooks: {
    say: (line: string) => console.log(line),
    afterCheck: (decision: GateDecision) => {
      if (endWait) endWait(`  ${describe(decision)}`);
      else console.log(`  ${describe(decision)}`);
      endWait = undefined;
    },
  },
};
const result =
  modelChoice.kind === 'real'
    ? await runRealModelAgent(gate, {
        ...agentOptions,
        model: await createLanguageModel(modelChoice, process.env),
      })
    : await runDemoAgent(gate, agentOptions);
console.log(`\n[agent] ${result.text}`);
// Ctrl-C while waiting: `stop` is already closing the server and exits with 130.
if (stopping.signal.aborted) await new Promise(() => undefined);
if (auto !== undefined) await stop(result.deployed ? 0 : 1);
console.log(
  `\nThe server keeps running so you can look at the history in the dashboard (${server.url}/).`,
);
console.log('Press Ctrl-C to stop.');

function describe(decision: GateDecision): string {
  switch (decision.outcome) {
    case 'allow':
      return decision.requestId
        ? `✔ approved by ${decision.approvedBy?.join(', ')}${decision.comment ? ` ("${decision.comment}")` : ''}`
        : `✔ allowed by the policy${decision.rule ? ` (rule ${decision.rule})` : ''}`;
    case 'deny':
      return decision.reason === 'rejected'
        ? `✘ rejected: ${decision.rejectionReason}`
        : `✘ not run (${decision.reason}): ${decision.message}`;
    default:
      return `… ${decision.outcome}: ${decision.message}`;
  }
}

// An agent process for the restart scenario: asks to pay bob (run "run-restart", call "call-1"),
// and on approval either stops before running (to be killed) or runs the call once, reported.
import { appendFileSync } from 'node:fs';
import { CountersignClient, createGate, definePolicy } from '@countersign/core';
import { runReported } from '@countersign/core/adapter';

const [url, apiKey, ranFile, mode] = process.argv.slice(2) as [string, string, string, string];
const gate = createGate({
  policy: definePolicy({ version: 1, default: 'require' }, 'restart-scenario'),
  service: new CountersignClient({ baseUrl: url, apiKey }),
});
const decision = await gate.check({
  toolName: 'transfer_funds',
  args: { to: 'bob', amount: 50 },
  runId: 'run-restart',
  toolCallId: 'call-1',
});
const reason = decision.outcome === 'deny' ? decision.reason : '-';
console.log(`DECISION ${decision.outcome} ${decision.requestId ?? '-'} ${reason}`);
if (decision.outcome === 'allow') {
  if (mode === 'stop-before-running') {
    console.log('APPROVED, NOT RUNNING YET');
    // Stays alive until killed: the approval has arrived, the call has not started.
    setInterval(() => undefined, 60_000);
  } else {
    const run = await runReported(gate, decision, () => {
      appendFileSync(ranFile, `paid bob 50 for ${decision.requestId}\n`);
      return 'paid';
    });
    console.log(run.ran ? 'RAN' : `REFUSED ${run.denial.reason}`);
  }
}

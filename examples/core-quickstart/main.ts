// The core on its own: load a policy, see what it decides, and run the gate against an in-memory
// approval service with a scripted reviewer. Run it with `pnpm start` at the repository root.
import { fileURLToPath } from 'node:url';
import {
  createGate,
  type GateDecision,
  loadPolicy,
  parsePolicy,
  renderPreviewText,
} from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';

const policyFile = fileURLToPath(new URL('./countersign.yaml', import.meta.url));
const policy = await loadPolicy(policyFile);
console.log(
  `Loaded ${policy.ruleCount} rules from countersign.yaml (default: ${policy.defaultAction})\n`,
);

console.log('What the policy decides (synchronous, no I/O):');
for (const [toolName, args] of [
  ['get_user', { id: 42 }],
  ['db__drop_table', { table: 'users' }],
  ['db__execute', { database: 'billing', sql: "UPDATE invoices SET status = 'void'" }],
  ['transfer_funds', { amount: 250, to: 'acct-7' }],
  ['transfer_funds', { amount: 5000, to: 'acct-7' }],
  ['send_email', { to: 'ceo@example.test' }],
] as const) {
  const decision = policy.evaluate({ toolName, args });
  console.log(
    `  ${toolName} ${JSON.stringify(args)} → ${decision.action}${decision.rule ? ` (rule ${decision.rule})` : ' (default)'}`,
  );
}

console.log('\nA malformed policy fails at load, naming the file, line and rule:');
try {
  parsePolicy(
    'version: 1\nrules:\n  - name: oops\n    when: args.amount > > 1\n    action: deny\n',
    {
      file: 'broken.yaml',
    },
  );
} catch (error) {
  console.log(`  ${(error as Error).message}`);
}

// The reviewer: approves the first transfer, edits the second, rejects the third, and narrows
// the SQL statement to the one invoice it should touch.
const narrowed = "UPDATE invoices SET status = 'void' WHERE id = 1042";
const service = createFakeApprovalService();
const gate = createGate({ policy, service });
const script = [
  { outcome: 'approve', comment: 'Looks right' },
  { outcome: 'edit', args: { amount: 2000, to: 'acct-7' } },
  { outcome: 'reject', reason: 'That account is not on the vendor list' },
  { outcome: 'edit', args: { database: 'billing', sql: narrowed } },
] as const;
const preview = (label: string, id: string) => {
  const shown = service.requests().find((request) => request.id === id)?.preview;
  if (!shown) return;
  console.log(`  ${label}:`);
  for (const line of renderPreviewText(shown).split('\n')) console.log(`    | ${line}`);
};
void (async () => {
  for (const [index, decision] of script.entries()) {
    const request = await service.waitForRequest(
      (candidate) => candidate.id === `req_00000${index + 1}`,
    );
    if (request.preview) preview('the reviewer sees', request.id);
    await service.decide(request.id, decision, { principal: 'user:alice' });
    if (decision.outcome === 'edit' && request.preview) preview('after the edit', request.id);
  }
})();

function show(label: string, decision: GateDecision): void {
  const detail =
    decision.outcome === 'allow'
      ? `run with ${JSON.stringify(decision.args)}${decision.edited ? ' (edited by a human)' : ''}`
      : decision.message;
  console.log(`  ${label} → ${decision.outcome}: ${detail}`);
}

console.log('\nThe gate (policy → request → wait → decision):');
const run = { runId: 'run-1', context: { user: 'bob' } };
show('get_user', await gate.check({ ...run, toolName: 'get_user', args: { id: 42 } }));
show(
  'db__drop_table',
  await gate.check({ ...run, toolName: 'db__drop_table', args: { table: 'users' } }),
);
const bigTransfer = { ...run, toolName: 'transfer_funds', args: { amount: 5000, to: 'acct-7' } };
show('transfer 5000 (approved)', await gate.check({ ...bigTransfer, toolCallId: 'call-1' }));
show('transfer 5000 (edited)', await gate.check({ ...bigTransfer, toolCallId: 'call-2' }));
const suspicious = { ...run, toolName: 'transfer_funds', args: { amount: 9000, to: 'acct-666' } };
show('transfer 9000 (rejected)', await gate.check({ ...suspicious, toolCallId: 'call-3' }));
show('same call again', await gate.check({ ...suspicious, toolCallId: 'call-4' }));
const statement = { database: 'billing', sql: "UPDATE invoices SET status = 'void'" };
show(
  'db__execute (edited)',
  await gate.check({ ...run, toolName: 'db__execute', args: statement }),
);
console.log(`\nRequests the reviewer saw: ${service.requests().length}`);

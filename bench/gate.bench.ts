// The gate on an allowed call against a bare call, and policy evaluation throughput.
import { createGate, DEFAULT_POLICY, definePolicy, type PolicyDefinition } from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import { type BenchResult, measure, printTable } from './measure.ts';

const args = { id: 'user-42', fields: ['name', 'email'], limit: 10 };
const annotations = { readOnlyHint: true };
const context = { user: 'bob', tenant: 'acme' };

// What the adapter would call anyway: an async tool function, and its sync equivalent.
async function bareTool(input: { args: unknown }): Promise<unknown> {
  return { result: input.args };
}
function bareSync(input: { args: unknown }): unknown {
  return { result: input.args };
}

const simplePolicy = definePolicy({
  version: 1,
  rules: [{ name: 'reads', tools: ['get_*'], action: 'allow' }],
});
// The service must never be touched on these paths: a fake that would record any call.
const service = createFakeApprovalService();
const gate = createGate({ policy: simplePolicy, service });
const defaultGate = createGate({ policy: DEFAULT_POLICY, service });
const input = {
  toolName: 'get_user',
  args,
  context,
  annotations,
  runId: 'run-1',
  toolCallId: 'c1',
};

/** 50 rules with CEL conditions; the last one allows `get_user`, so every call walks them all. */
function fiftyRulePolicy(): PolicyDefinition {
  const rules: NonNullable<PolicyDefinition['rules']> = [];
  for (let index = 0; index < 49; index += 1) {
    rules.push({
      name: `rule-${index}`,
      tools: index % 2 === 0 ? [`tool_${index}_*`, 'get_*'] : [`svc${index}__*`, '*_user'],
      when: `args.limit > ${1000 + index}.0 && context.tenant == "t${index}"`,
      action: index % 3 === 0 ? 'deny' : 'require',
    });
  }
  rules.push({ name: 'last', tools: ['get_*'], when: 'context.user == "bob"', action: 'allow' });
  return { version: 1, rules };
}
const bigPolicy = definePolicy(fiftyRulePolicy());
const bigGate = createGate({ policy: bigPolicy, service });

/** 50 rules with CEL conditions, each on its own tools; a call matches one rule's tool pattern. */
function fiftyToolPolicy(): PolicyDefinition {
  const rules: NonNullable<PolicyDefinition['rules']> = [];
  for (let index = 0; index < 49; index += 1) {
    rules.push({
      name: `rule-${index}`,
      tools: index % 2 === 0 ? [`tool_${index}_*`] : [`svc${index}__write`],
      when: `args.limit > ${1000 + index}.0 && context.tenant == "t${index}"`,
      action: index % 3 === 0 ? 'deny' : 'require',
    });
  }
  rules.push({ name: 'last', tools: ['get_*'], when: 'context.user == "bob"', action: 'allow' });
  return { version: 1, rules };
}
const indexedGate = createGate({ policy: definePolicy(fiftyToolPolicy()), service });
const firstRuleInput = { toolName: 'tool_0_x', args: { limit: 5000 }, context: { tenant: 't0' } };

const gateResults: BenchResult[] = [];
for (const bench of [
  { name: 'bare async tool call', fn: () => bareTool(input) },
  { name: 'gate.check allow (1 glob rule)', fn: () => gate.check(input) },
  { name: 'gate.check allow (DEFAULT_POLICY, CEL)', fn: () => defaultGate.check(input) },
  { name: 'gate.check allow (50 CEL rules, all match the tool)', fn: () => bigGate.check(input) },
  {
    name: 'gate.check allow (50 CEL rules, one matches the tool)',
    fn: () => indexedGate.check(input),
  },
  {
    name: 'gate.check allow + read fingerprint',
    fn: async () => ((await gate.check(input)) as { fingerprint: string }).fingerprint,
  },
]) {
  gateResults.push(await measure(bench));
}
printTable('Gate on an allowed call (target: under 2 µs per call)', gateResults);

const policyResults: BenchResult[] = [];
for (const bench of [
  { name: 'bare sync function call', fn: () => bareSync(input) },
  { name: 'evaluate 1 glob rule', fn: () => simplePolicy.evaluate(input) },
  { name: 'evaluate 50 CEL rules, first matches', fn: () => bigPolicy.evaluate(firstRuleInput) },
  { name: 'evaluate 50 CEL rules, last matches', fn: () => bigPolicy.evaluate(input) },
]) {
  policyResults.push(await measure(bench));
}
printTable('Policy evaluation throughput (50-rule policy with CEL conditions)', policyResults);

if (service.calls.length > 0) throw new Error('An allowed call reached the approval service');
const allowed = await bigGate.check(input);
if (allowed.outcome !== 'allow') throw new Error(`Expected allow, got ${allowed.outcome}`);

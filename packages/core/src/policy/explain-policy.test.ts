import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlobs } from './glob.js';
import { definePolicy, parsePolicy } from './parse-policy.js';
import type { PolicyDefinition } from './policy-schema.js';

describe('policy.explain', () => {
  const policy = parsePolicy(
    `version: 1
default: deny
rules:
  - name: reads
    tools: ["read_*"]
    action: allow
  - name: small-transfers
    tools: [transfer]
    when: args.amount < 100
    action: allow
  - name: flagged
    tools: [transfer]
    when: context.flags.risky
    action: require
    approval: { assignees: [group:risk], quorum: 2 }
  - name: big-transfers
    tools: [transfer]
    when: args.amount >= 100
    action: require
`,
    { file: 'payments.yaml' },
  );

  it('names each rule with its line, whether it was considered, and what its condition gave', () => {
    const explanation = policy.explain?.({ toolName: 'transfer', args: { amount: 500 } });
    expect(explanation?.decision).toEqual(
      policy.evaluate({ toolName: 'transfer', args: { amount: 500 } }),
    );
    expect(explanation?.defaultApplied).toBe(false);
    expect(
      explanation?.rules.map(({ name, line, considered, condition, matches, decided }) => ({
        name,
        line,
        considered,
        condition,
        matches,
        decided,
      })),
    ).toEqual([
      {
        name: 'reads',
        line: 4,
        considered: false,
        condition: 'not-evaluated',
        matches: false,
        decided: false,
      },
      {
        name: 'small-transfers',
        line: 7,
        considered: true,
        condition: 'false',
        matches: false,
        decided: false,
      },
      // context.flags is missing: an error, which fails closed on a require rule.
      {
        name: 'flagged',
        line: 11,
        considered: true,
        condition: 'error',
        matches: true,
        decided: true,
      },
      {
        name: 'big-transfers',
        line: 16,
        considered: true,
        condition: 'true',
        matches: true,
        decided: false,
      },
    ]);
    expect(explanation?.rules[2]?.error).toMatch(/flags/);
    expect(explanation?.rules[2]?.when).toBe('context.flags.risky');
  });

  it('says when the default applied', () => {
    const explanation = policy.explain?.({ toolName: 'delete_everything', args: {} });
    expect(explanation?.defaultApplied).toBe(true);
    expect(explanation?.decision).toEqual({ action: 'deny' });
    expect(explanation?.rules.every((rule) => !rule.considered)).toBe(true);
  });

  it('an erroring condition never matches an allow rule', () => {
    const explanation = policy.explain?.({ toolName: 'transfer', args: { amount: 'lots' } });
    expect(explanation?.rules[1]).toMatchObject({ condition: 'error', matches: false });
  });
});

const TOOLS = ['transfer', 'read_file', 'read_db', 'deploy', 'deploy.prod', 'x'];
const GLOBS = ['transfer', 'read_*', 'deploy*', 'deploy.?rod', '*', 'x', 'nothing'];
const CONDITIONS = [
  undefined,
  'args.amount > 10',
  'args.amount < 100',
  'context.env == "prod"',
  'context.flags.risky',
  'has(args.amount) && args.amount % 2 == 0',
  'tool.name.startsWith("read")',
  'run.id == "r1"',
  'size(args) > 1',
];
const ACTIONS = ['allow', 'deny', 'require'] as const;

const ruleArbitrary = fc.record(
  {
    name: fc.constantFrom('a', 'b', 'c', 'd'),
    tools: fc.uniqueArray(fc.constantFrom(...GLOBS), { minLength: 1, maxLength: 3 }),
    when: fc.constantFrom(...CONDITIONS),
    action: fc.constantFrom(...ACTIONS),
  },
  { requiredKeys: ['action'] },
);

const inputArbitrary = fc.record(
  {
    toolName: fc.constantFrom(...TOOLS),
    args: fc.record(
      { amount: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.string(), fc.boolean()) },
      { requiredKeys: [] },
    ),
    context: fc.record(
      {
        env: fc.constantFrom('prod', 'staging'),
        flags: fc.record({ risky: fc.oneof(fc.boolean(), fc.integer()) }),
      },
      { requiredKeys: [] },
    ),
    runId: fc.constantFrom('r1', 'r2'),
  },
  { requiredKeys: ['toolName', 'args'] },
);

describe('policy.explain agrees with policy.evaluate', () => {
  it('gives the decision evaluate gives, and explains it consistently', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArbitrary, { maxLength: 8 }),
        fc.constantFrom(...ACTIONS),
        fc.array(inputArbitrary, { minLength: 1, maxLength: 5 }),
        (rules, fallback, inputs) => {
          const definition = { version: 1, default: fallback, rules } as PolicyDefinition;
          const policy = definePolicy(definition);
          for (const input of inputs) {
            const explanation = policy.explain?.(input);
            expect(explanation).toBeDefined();
            if (!explanation) return;
            // Same frozen decision object, not merely an equal one.
            expect(explanation.decision).toBe(policy.evaluate(input));
            const decided = explanation.rules.filter((rule) => rule.decided);
            expect(decided.length).toBe(explanation.defaultApplied ? 0 : 1);
            const firstMatch = explanation.rules.find((rule) => rule.matches);
            expect(decided[0]).toBe(firstMatch);
            explanation.rules.forEach((rule, index) => {
              const written = rules[index];
              const tools = written?.tools ?? ['*'];
              expect(rule.considered).toBe(compileGlobs(tools)(input.toolName));
              if (!rule.considered) expect(rule.condition).toBe('not-evaluated');
              if (rule.condition === 'error') expect(rule.matches).toBe(rule.action !== 'allow');
              if (rule.condition === 'false') expect(rule.matches).toBe(false);
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

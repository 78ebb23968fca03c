import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition } from './cel-condition.js';
import { compileGlobs } from './glob.js';
import { definePolicy } from './parse-policy.js';
import type { PolicyAction } from './policy-types.js';
import { createRuleIndex } from './rule-index.js';

const GLOBS = ['a', 'b', 'ab', 'a.b', 'a*', '*b', '?', 'a?', '*', '*a*', 'b?b'];
const CONDITIONS = [undefined, 'args.x > 1.0', 'args.x == 2.0', 'args.missing.y == 1.0'];
const TOOL_NAMES = ['a', 'b', 'ab', 'ba', 'abb', 'bab', 'a.b', 'axb', 'zzz'];

interface RuleSketch {
  tools: string[];
  when: string | undefined;
  action: PolicyAction;
}

const ruleArbitrary = fc.record({
  tools: fc.uniqueArray(fc.constantFrom(...GLOBS), { minLength: 1, maxLength: 3 }),
  when: fc.constantFrom(...CONDITIONS),
  action: fc.constantFrom<PolicyAction>('allow', 'deny', 'require'),
});

/** The engine before the index: every rule in file order, globs tested one by one. */
function linearEvaluate(rules: RuleSketch[], toolName: string, x: number): string | undefined {
  for (const [index, rule] of rules.entries()) {
    if (!compileGlobs(rule.tools)(toolName)) continue;
    if (rule.when === undefined) return `r${index}`;
    const result = compileCondition(rule.when)({
      tool: { name: toolName, annotations: {} },
      args: { x },
      context: {},
      run: {},
    });
    if (result === true || (result !== false && rule.action !== 'allow')) return `r${index}`;
  }
  return undefined;
}

describe('policy rule index', () => {
  it('decides exactly like a walk over every rule, for any rule order', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArbitrary, { minLength: 0, maxLength: 8 }),
        fc.constantFrom(...TOOL_NAMES),
        fc.integer({ min: 0, max: 3 }),
        (rules, toolName, x) => {
          const policy = definePolicy({
            version: 1,
            default: 'deny',
            rules: rules.map((rule, index) => ({
              name: `r${index}`,
              tools: rule.tools,
              action: rule.action,
              ...(rule.when === undefined ? {} : { when: rule.when }),
            })),
          });
          const decision = policy.evaluate({ toolName, args: { x } });
          expect(decision.rule).toBe(linearEvaluate(rules, toolName, x));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('lists a rule once even when several of its globs match, and keeps file order', () => {
    const rules = [{ tools: ['b*'] }, { tools: ['ab', 'a*', '*b'] }, { tools: ['ab'] }];
    const candidates = createRuleIndex(rules, (rule) => rule.tools);
    expect(candidates('ab')).toEqual([rules[1], rules[2]]);
    expect(candidates('bb')).toEqual([rules[0], rules[1]]);
    expect(candidates('zz')).toEqual([]);
    // Remembered lists are the same frozen array on every call.
    expect(candidates('ab')).toBe(candidates('ab'));
    expect(Object.isFrozen(candidates('ab'))).toBe(true);
  });

  it('keeps answering correctly past the memo bound', () => {
    const rules = [{ tools: ['tool_1*'] }, { tools: ['*'] }];
    const candidates = createRuleIndex(rules, (rule) => rule.tools);
    for (let index = 0; index < 3000; index += 1) {
      const expected = String(index).startsWith('1') ? [rules[0], rules[1]] : [rules[1]];
      expect(candidates(`tool_${index}`)).toEqual(expected);
    }
  });
});

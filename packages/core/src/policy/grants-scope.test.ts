import { describe, expect, it } from 'vitest';
import { CountersignError } from '../errors/index.js';
import { boundedArgsCondition, exactArgsCondition } from '../protocol/grant-conditions.js';
import { compileCondition } from './cel-condition.js';
import { definePolicy, parsePolicy } from './parse-policy.js';

const POLICY = `version: 1
default: require
rules:
  - name: payments
    tools: [pay]
    action: require
    grants: { maxLifetime: 2h }
  - name: two-people
    tools: [drop]
    action: require
    approval: { quorum: 2 }
  - name: no-grants
    tools: [deploy]
    action: require
    grants: false
  - name: plain
    tools: [send]
    action: require
  - name: a-form
    tools: [ask]
    action: require
    approval: { kind: form, responseSchema: { type: object } }
`;

describe('grants in a policy file', () => {
  const policy = parsePolicy(POLICY, { file: 'policy.yaml' });
  const grantsOf = (tool: string) => policy.scopeFor?.(tool).rules[0]?.grants;

  it('carries each require rule’s grants where they differ from what the server assumes', () => {
    expect(grantsOf('pay')).toEqual({ maxLifetime: '2h' });
    expect(grantsOf('deploy')).toBe(false);
    // Absent: the server's default (one approval of kind approval: allowed; else forbidden).
    expect(grantsOf('send')).toBeUndefined();
    expect(grantsOf('drop')).toBeUndefined();
    expect(grantsOf('ask')).toBeUndefined();
    expect(policy.scopeFor?.('other').default.grants).toBeUndefined();
  });

  it('takes the file-wide grants for the default and rules without their own', () => {
    const strict = definePolicy({
      version: 1,
      grants: false,
      rules: [
        { tools: 'pay', action: 'require', grants: true },
        { tools: 'x', action: 'require' },
      ],
    });
    expect(strict.scopeFor?.('pay').rules[0]?.grants).toBeUndefined();
    expect(strict.scopeFor?.('x').rules[0]?.grants).toBe(false);
    expect(strict.scopeFor?.('y').default.grants).toBe(false);
  });

  it('sends an explicit opt-in where the default forbids', () => {
    const review = definePolicy({
      version: 1,
      rules: [
        { tools: 'r', action: 'require', grants: true, approval: { kind: 'review' } },
        { tools: 'q', action: 'require', grants: true, approval: { quorum: 2 } },
      ],
    });
    expect(review.scopeFor?.('r').rules[0]?.grants).toEqual({});
    expect(review.scopeFor?.('q').rules[0]?.grants).toEqual({});
  });

  it('refuses grants on rules that do not ask for an approval', () => {
    const problem = (definition: Parameters<typeof definePolicy>[0]) => {
      try {
        definePolicy(definition);
      } catch (error) {
        expect(CountersignError.hasCode(error, 'policy_invalid')).toBe(true);
        return (error as Error).message;
      }
      throw new Error('the policy was accepted');
    };
    expect(problem({ version: 1, rules: [{ action: 'allow', grants: true }] })).toMatch(
      /only a require rule has grants/,
    );
    expect(
      problem({
        version: 1,
        rules: [
          {
            action: 'require',
            grants: true,
            approval: { kind: 'clarification', question: 'Why?' },
          },
        ],
      }),
    ).toMatch(/grants cannot approve it/);
  });
});

describe('grant conditions prefilled from a request', () => {
  const run = (expression: string, args: Record<string, unknown>) =>
    compileCondition(expression)({
      tool: { name: 't', annotations: {} },
      args,
      context: {},
      run: {},
    });
  const args = { amount: 500, to: 'bob', meta: { tags: ['a', 1, null], in: true } };

  it('matches exactly the same arguments and nothing else', () => {
    const exact = exactArgsCondition(args);
    expect(run(exact, structuredClone(args))).toBe(true);
    expect(run(exact, { ...args, amount: 501 })).toBe(false);
    expect(run(exact, { ...args, extra: 1 })).toBe(false);
    expect(run(exact, { ...args, meta: { tags: ['a', 1], in: true } })).toBe(false);
    expect(run(exactArgsCondition({}), {})).toBe(true);
  });

  it('bounds the numbers and keeps the rest exact', () => {
    const bounded = boundedArgsCondition({ amount: 500, to: 'bob', in: 'x' }) as string;
    expect(bounded).toContain('args.amount <= 500');
    expect(run(bounded, { amount: 120.5, to: 'bob', in: 'x' })).toBe(true);
    expect(run(bounded, { amount: 501, to: 'bob', in: 'x' })).toBe(false);
    expect(run(bounded, { amount: 1, to: 'eve', in: 'x' })).toBe(false);
    expect(run(bounded, { amount: 1, to: 'bob', in: 'x', force: true })).toBe(false);
    expect(boundedArgsCondition({ to: 'bob' })).toBeUndefined();
  });
});

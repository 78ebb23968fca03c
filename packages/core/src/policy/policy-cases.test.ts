import { describe, expect, it } from 'vitest';
import { PolicyInvalidError } from '../errors/errors.js';
import { parsePolicy } from './parse-policy.js';
import { parsePolicyCases, runPolicyCases } from './policy-cases.js';

const policy = parsePolicy(`version: 1
default: deny
message: Not allowed here.
rules:
  - name: small
    tools: [transfer]
    when: args.amount < 100
    action: allow
  - name: big
    tools: [transfer]
    action: require
    approval: { assignees: [group:finance, user:cfo], quorum: 2 }
`);

describe('parsePolicyCases and runPolicyCases', () => {
  it('passes matching cases and names every difference of a failing one', () => {
    const cases = parsePolicyCases(
      `cases:
  - name: small transfer
    tool: transfer
    args: { amount: 5 }
    expect: allow
  - name: big transfer
    tool: transfer
    args: { amount: 5000 }
    expect: { action: require, assignees: [user:cfo, group:finance], quorum: 2, rule: big }
  - name: wrong on purpose
    tool: transfer
    args: { amount: 5000 }
    expect: { action: require, assignees: [group:finance], quorum: 1 }
  - tool: delete
    expect: { action: deny, rule: default, message: Not allowed }
`,
      'cases.yaml',
    );
    expect(cases.map((entry) => [entry.name, entry.line])).toEqual([
      ['small transfer', 2],
      ['big transfer', 6],
      ['wrong on purpose', 10],
      ['delete #4', 14],
    ]);
    const results = runPolicyCases(policy, cases);
    expect(results.map((result) => result.problems)).toEqual([
      [],
      [],
      [
        'expected assignees [group:finance], got [group:finance, user:cfo]',
        'expected quorum 1, got 2',
      ],
      [],
    ]);
  });

  it('accepts a bare list, a run id and context', () => {
    const cases = parsePolicyCases(`- tool: transfer
  args: { amount: 1 }
  context: { env: prod }
  run: r-1
  expect: deny
`);
    expect(cases[0]).toMatchObject({ runId: 'r-1', context: { env: 'prod' } });
    expect(runPolicyCases(policy, cases)[0]?.problems).toEqual(['expected deny, got allow']);
  });

  it('rejects a malformed cases file with its file and line', () => {
    const bad = () =>
      parsePolicyCases(
        `cases:
  - tool: transfer
    expect: allow
  - tool: transfer
    expect: maybe
`,
        'cases.yaml',
      );
    expect(bad).toThrow(PolicyInvalidError);
    expect(bad).toThrow(/^cases\.yaml:5: cases\.1\.expect: /);
    expect(() => parsePolicyCases('cases: [\n', 'broken.yaml')).toThrow(/^broken\.yaml:\d+: YAML/);
    expect(() => parsePolicyCases('- tool: x\n  expect: allow\n  colour: red\n', 'c.yaml')).toThrow(
      /^c\.yaml:3: 0\.colour: unknown key/,
    );
  });
});

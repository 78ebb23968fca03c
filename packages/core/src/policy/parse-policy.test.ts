import { describe, expect, it } from 'vitest';
import { CountersignError, type PolicyInvalidError } from '../errors/index.js';
import { definePolicy, parsePolicy } from './parse-policy.js';

const GOOD = `version: 1
default: require
approval:
  timeout: 1h
  assignees: [group:ops]
rules:
  - name: reads-are-free
    tools: ["get_*", "*__read_*"]
    action: allow
  - name: never-drop
    tools: ["*drop*"]
    action: deny
    message: Dropping tables is not allowed here; ask a human to do it.
  - name: big-transfers
    tools: [transfer_funds]
    when: args.amount > 1000
    action: require
    approval: { kind: approval, assignees: [group:finance], quorum: 2, timeout: 48h, reminders: [24h], escalation: { after: 24h, assignees: [user:cfo], mode: add }, onTimeout: deny }
`;

function errorOf(run: () => unknown): PolicyInvalidError {
  try {
    run();
  } catch (error) {
    expect(CountersignError.hasCode(error, 'policy_invalid')).toBe(true);
    return error as PolicyInvalidError;
  }
  throw new Error('expected a PolicyInvalidError');
}

describe('parsePolicy: good files', () => {
  it('loads the documented YAML example', () => {
    const policy = parsePolicy(GOOD, { file: 'countersign.yaml' });
    expect(policy.ruleCount).toBe(3);
    expect(policy.defaultAction).toBe('require');
    expect(policy.source).toBe('countersign.yaml');
  });

  it('loads the same policy written as JSON', () => {
    const json = JSON.stringify(
      { version: 1, rules: [{ tools: ['get_*'], action: 'allow' }] },
      null,
      2,
    );
    const policy = parsePolicy(json, { file: 'countersign.json' });
    expect(policy.evaluate({ toolName: 'get_user', args: {} }).action).toBe('allow');
    expect(policy.evaluate({ toolName: 'set_user', args: {} }).action).toBe('require');
  });

  it('defaults to require when no default is given and accepts an empty rule list', () => {
    const policy = parsePolicy('version: 1\n');
    expect(policy.evaluate({ toolName: 'anything', args: {} })).toEqual({
      action: 'require',
      approval: { kind: 'approval', assignees: [], quorum: 1, onTimeout: 'deny' },
    });
  });

  it('definePolicy validates a JavaScript object with the same structure', () => {
    const policy = definePolicy({ version: 1, default: 'deny', message: 'No tools today.' });
    expect(policy.evaluate({ toolName: 'x', args: {} })).toEqual({
      action: 'deny',
      message: 'No tools today.',
    });
  });
});

describe('parsePolicy: malformed files name the file, line and rule', () => {
  const cases: Array<[string, string, string]> = [
    [
      'a CEL syntax error',
      GOOD.replace('args.amount > 1000', 'args.amount > > 1000'),
      'countersign.yaml:16: rule "big-transfers": when: Unexpected token: GT',
    ],
    [
      'an unknown variable in a condition',
      GOOD.replace('args.amount > 1000', 'amount > 1000'),
      'countersign.yaml:16: rule "big-transfers": when: Unknown variable: amount',
    ],
    [
      'a condition that is not boolean',
      GOOD.replace('args.amount > 1000', 'args.amount + 1.0'),
      'countersign.yaml:16: rule "big-transfers": when: must be a boolean condition, but it is double',
    ],
    [
      'an unknown action',
      GOOD.replace('action: deny', 'action: block'),
      'countersign.yaml:12: rule "never-drop": action: Invalid option: expected one of "allow"|"deny"|"require"',
    ],
    [
      'a bad glob',
      GOOD.replace('"*drop*"', '"[dD]rop"'),
      'countersign.yaml:11: rule "never-drop": tools.0: bad glob "[dD]rop": use letters, digits, "_ - . / :" and the wildcards * and ?',
    ],
    [
      'a bad duration',
      GOOD.replace('timeout: 48h', 'timeout: 2 days'),
      'countersign.yaml:18: rule "big-transfers": approval.timeout: Expected a duration such as "90s", "30m", "48h" or "7d" (at most a year)',
    ],
    [
      'an unknown key in a rule',
      GOOD.replace('    action: allow', '    actoin: allow\n    action: allow'),
      'countersign.yaml:9: rule "reads-are-free": actoin: unknown key',
    ],
    [
      'an unknown key at the top',
      GOOD.replace('default: require', 'defualt: require'),
      'countersign.yaml:2: defualt: unknown key',
    ],
    [
      'a bad default',
      GOOD.replace('default: require', 'default: maybe'),
      'countersign.yaml:2: default: Invalid option: expected one of "allow"|"deny"|"require"',
    ],
    [
      'a bad assignee in the defaults',
      GOOD.replace('[group:ops]', '[ops]'),
      'countersign.yaml:5: approval.assignees.0: Expected "user:NAME" or "group:NAME"',
    ],
    [
      'a message on a rule that does not deny',
      GOOD.replace('    action: allow', '    action: allow\n    message: hello'),
      'countersign.yaml:10: rule "reads-are-free": message: only a deny rule has a message',
    ],
    [
      'a YAML syntax error',
      GOOD.replace('tools: [transfer_funds]', 'tools: [transfer_funds'),
      'countersign.yaml:16: YAML syntax error:',
    ],
    ['a wrong version', GOOD.replace('version: 1', 'version: 2'), 'countersign.yaml:1: version:'],
  ];

  for (const [what, text, expected] of cases) {
    it(`reports ${what}`, () => {
      const error = errorOf(() => parsePolicy(text, { file: 'countersign.yaml' }));
      expect(error.message.startsWith(expected), error.message).toBe(true);
      expect(error.file).toBe('countersign.yaml');
      expect(error.line).toBe(Number(expected.split(':')[1]));
    });
  }

  it('names an unnamed rule by its 1-based index', () => {
    const text =
      'version: 1\nrules:\n  - tools: [a]\n    action: allow\n  - tools: [b]\n    when: args.x ==\n    action: deny\n';
    const error = errorOf(() => parsePolicy(text, { file: 'p.yaml' }));
    expect(error.message).toBe('p.yaml:6: rule #2: when: Unexpected token: EOF');
    expect(error.rule).toBe('#2');
  });

  it('refuses a form request without a response schema', () => {
    const text =
      'version: 1\nrules:\n  - name: ask\n    action: require\n    approval:\n      kind: form\n';
    expect(errorOf(() => parsePolicy(text, { file: 'p.yaml' })).message).toBe(
      'p.yaml:5: rule "ask": approval: a form request needs a responseSchema',
    );
  });

  it('reports a JSON syntax error with its line', () => {
    const error = errorOf(() =>
      parsePolicy('{\n  "version": 1,\n  "rules": [,]\n}', { file: 'p.json' }),
    );
    expect(error.message).toMatch(/^p\.json:3: JSON syntax error: /);
  });

  it('refuses duplicate keys', () => {
    const error = errorOf(() => parsePolicy('version: 1\nversion: 1\n', { file: 'p.yaml' }));
    expect(error.message).toMatch(/^p\.yaml:2: YAML syntax error: Map keys must be unique/);
  });

  it('definePolicy names the rule without a line', () => {
    const error = errorOf(() =>
      definePolicy({
        version: 1,
        rules: [{ name: 'x', tools: ['a'], when: '1 +', action: 'deny' }],
      }),
    );
    expect(error.message).toBe('policy: rule "x": when: Unexpected token: EOF');
    expect(error.line).toBeUndefined();
  });
});

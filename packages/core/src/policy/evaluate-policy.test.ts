import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './default-policy.js';
import { definePolicy, parsePolicy } from './parse-policy.js';

describe('policy.evaluate: matching order', () => {
  const policy = parsePolicy(`version: 1
default: deny
message: Not on the list.
approval: { assignees: [group:ops], timeout: 1h }
rules:
  - name: first
    tools: [deploy]
    when: context.env == "staging"
    action: allow
  - name: second
    tools: ["deploy*"]
    action: require
    approval: { quorum: 2, assignees: [group:release] }
  - name: third
    tools: [deploy]
    action: deny
`);

  it('takes the first matching rule in file order', () => {
    expect(policy.evaluate({ toolName: 'deploy', args: {}, context: { env: 'staging' } })).toEqual({
      action: 'allow',
      rule: 'first',
    });
    expect(policy.evaluate({ toolName: 'deploy', args: {}, context: { env: 'prod' } })).toEqual({
      action: 'require',
      rule: 'second',
      approval: {
        kind: 'approval',
        assignees: ['group:release'],
        quorum: 2,
        timeout: '1h',
        onTimeout: 'deny',
      },
    });
  });

  it('falls back to the default, with its message', () => {
    expect(policy.evaluate({ toolName: 'rm', args: {} })).toEqual({
      action: 'deny',
      message: 'Not on the list.',
    });
  });
});

describe('policy.evaluate: globs', () => {
  const policy = definePolicy({
    version: 1,
    default: 'deny',
    rules: [
      { name: 'mcp-reads', tools: ['*__read_*'], action: 'allow' },
      { name: 'one-char', tools: ['get_?'], action: 'allow' },
      { name: 'dotted', tools: ['fs.list'], action: 'allow' },
      { name: 'single', tools: 'ping', action: 'allow' },
    ],
  });
  const action = (toolName: string) => policy.evaluate({ toolName, args: {} }).action;

  it('matches MCP-style server__tool names', () => {
    expect(action('github__read_issue')).toBe('allow');
    expect(action('github__write_issue')).toBe('deny');
    expect(action('read_issue')).toBe('deny');
  });

  it('matches the whole name, with ? as exactly one character', () => {
    expect(action('get_a')).toBe('allow');
    expect(action('get_ab')).toBe('deny');
    expect(action('xget_a')).toBe('deny');
  });

  it('treats dots literally and accepts a single glob string', () => {
    expect(action('fs.list')).toBe('allow');
    expect(action('fsXlist')).toBe('deny');
    expect(action('ping')).toBe('allow');
  });
});

describe('policy.evaluate: CEL conditions', () => {
  const policy = definePolicy({
    version: 1,
    default: 'allow',
    rules: [
      { name: 'big', tools: ['transfer_funds'], when: 'args.amount > 1000', action: 'require' },
      { name: 'admin-only', when: 'context.user.role != "admin"', tools: ['sudo'], action: 'deny' },
      {
        name: 'destructive',
        when: 'has(tool.annotations.destructiveHint) && tool.annotations.destructiveHint',
        action: 'require',
      },
      { name: 'tagged', when: '"prod" in args.tags', action: 'deny', message: 'Not in prod.' },
      { name: 'run', when: 'has(run.id) && run.id.startsWith("test-")', action: 'deny' },
    ],
  });

  it('conditions on args', () => {
    expect(policy.evaluate({ toolName: 'transfer_funds', args: { amount: 5000 } }).rule).toBe(
      'big',
    );
    expect(
      policy.evaluate({ toolName: 'transfer_funds', args: { amount: 10, tags: [] } }).action,
    ).toBe('allow');
  });

  it('conditions on context', () => {
    const sudo = (role: string) =>
      policy.evaluate({ toolName: 'sudo', args: { tags: [] }, context: { user: { role } } });
    expect(sudo('intern').action).toBe('deny');
    expect(sudo('admin').action).toBe('allow');
  });

  it('conditions on annotations and the run', () => {
    const annotations = { destructiveHint: true };
    expect(policy.evaluate({ toolName: 'wipe', args: {}, annotations }).rule).toBe('destructive');
    const decision = policy.evaluate({ toolName: 'x', args: { tags: [] }, runId: 'test-1' });
    expect(decision.rule).toBe('run');
  });

  it('fails closed: an erroring condition matches deny and require rules', () => {
    // No `amount` at all: the condition errors, so the require rule applies.
    expect(policy.evaluate({ toolName: 'transfer_funds', args: {} }).rule).toBe('big');
    // A string amount: a type error, same outcome.
    expect(policy.evaluate({ toolName: 'transfer_funds', args: { amount: 'lots' } }).rule).toBe(
      'big',
    );
    // `context.user` is missing: the deny rule applies.
    expect(policy.evaluate({ toolName: 'sudo', args: {} }).rule).toBe('admin-only');
  });

  it('fails closed: an erroring condition does not match an allow rule', () => {
    const allowReads = definePolicy({
      version: 1,
      rules: [{ name: 'reads', when: 'args.mode == "read"', action: 'allow' }],
    });
    expect(allowReads.evaluate({ toolName: 'x', args: { mode: 'read' } }).action).toBe('allow');
    expect(allowReads.evaluate({ toolName: 'x', args: {} }).action).toBe('require');
    expect(allowReads.evaluate({ toolName: 'x', args: { mode: 1 } }).action).toBe('require');
  });

  it('supports optional chaining and double arithmetic on JSON numbers', () => {
    const optional = definePolicy({
      version: 1,
      default: 'allow',
      rules: [{ name: 'many', when: 'args.?limit.orValue(10.0) * 1.5 > 100.0', action: 'deny' }],
    });
    expect(optional.evaluate({ toolName: 'x', args: {} }).action).toBe('allow');
    expect(optional.evaluate({ toolName: 'x', args: { limit: 80 } }).action).toBe('deny');
  });

  it('treats a dynamic non-boolean result as an error', () => {
    const dynamic = definePolicy({
      version: 1,
      rules: [
        { name: 'allow-flag', when: 'args.flag', action: 'allow' },
        { name: 'deny-flag', when: 'args.flag', action: 'deny' },
      ],
    });
    expect(dynamic.evaluate({ toolName: 'x', args: { flag: true } }).rule).toBe('allow-flag');
    expect(dynamic.evaluate({ toolName: 'x', args: { flag: 'yes' } }).rule).toBe('deny-flag');
  });
});

describe('DEFAULT_POLICY', () => {
  it('allows read-only tools and requires approval for the rest', () => {
    const readOnly = { toolName: 'list', args: {}, annotations: { readOnlyHint: true } };
    expect(DEFAULT_POLICY.evaluate(readOnly).action).toBe('allow');
    const notReadOnly = { toolName: 'list', args: {}, annotations: { readOnlyHint: false } };
    expect(DEFAULT_POLICY.evaluate(notReadOnly).action).toBe('require');
    expect(DEFAULT_POLICY.evaluate({ toolName: 'delete', args: {} }).action).toBe('require');
  });
});

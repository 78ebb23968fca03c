import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCapturedCli } from '../test-support/captured-cli.js';

const directory = mkdtempSync(join(tmpdir(), 'countersign-policy-cli-'));
function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const policyFile = file(
  'payments.yaml',
  `version: 1
default: deny
rules:
  - name: small
    tools: [transfer]
    when: args.amount < 100
    action: allow
  - name: big
    tools: [transfer]
    action: require
    approval: { assignees: [group:finance], quorum: 2 }
`,
);

const run = (argv: string[]) => runCapturedCli(argv);

describe('countersign policy test', () => {
  it('prints each case and exits 0 when all pass', async () => {
    const cases = file(
      'good.yaml',
      `- { name: small, tool: transfer, args: { amount: 3 }, expect: allow }
- name: big
  tool: transfer
  args: { amount: 300 }
  expect: { action: require, assignees: [group:finance], quorum: 2 }
`,
    );
    const result = await run(['policy', 'test', policyFile, cases]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`PASS  small  (${cases}:1)`);
    expect(result.out).toContain('2 passed, 0 failed');
  });

  it('exits 1 on a mismatch and says what differs', async () => {
    const cases = file(
      'bad.yaml',
      `cases:
  - { name: wrong, tool: transfer, args: { amount: 300 }, expect: { action: require, quorum: 1 } }
  - { name: denied, tool: delete, expect: allow }
`,
    );
    const result = await run(['policy', 'test', policyFile, cases]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`FAIL  wrong  (${cases}:2)`);
    expect(result.out).toContain('expected quorum 1, got 2');
    expect(result.out).toContain('expected allow, got deny');
    expect(result.out).toContain('0 passed, 2 failed');
    const json = await run(['policy', 'test', policyFile, cases, '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ passed: 0, failed: 2 });
  });

  it('names the file and line of a malformed policy or cases file', async () => {
    const broken = file(
      'broken.yaml',
      `version: 1
rules:
  - name: oops
    when: args.amount >
    action: allow
`,
    );
    const cases = file('one.yaml', '- { tool: transfer, expect: allow }\n');
    const badPolicy = await run(['policy', 'test', broken, cases]);
    expect(badPolicy.code).toBe(1);
    expect(badPolicy.err).toContain(`${broken}:4: rule "oops": when:`);
    const badCases = await run(['policy', 'test', policyFile, file('c.yaml', '- { tool: x }\n')]);
    expect(badCases.code).toBe(1);
    expect(badCases.err).toMatch(/c\.yaml:1: 0\.expect: /);
  });
});

describe('countersign policy explain', () => {
  it('lists considered rules, condition results and the deciding rule', async () => {
    const result = await run([
      'policy',
      'explain',
      policyFile,
      '--tool',
      'transfer',
      '--args',
      '{"amount": 500}',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'small (line 4) allow: when args.amount < 100 is false; does not match',
    );
    expect(result.out).toContain('=> big (line 8) require: no condition; decides');
    expect(result.out).toContain(
      'Decision: require by rule big (assignees group:finance, quorum 2)',
    );
  });

  it('shows errored conditions and rules whose tools do not match', async () => {
    const result = await run(['policy', 'explain', policyFile, '--tool', 'transfer', '--json']);
    const explanation = JSON.parse(result.out);
    expect(explanation.rules[0]).toMatchObject({ condition: 'error', matches: false });
    const other = await run(['policy', 'explain', policyFile, '--tool', 'delete']);
    expect(other.out).toContain('not considered, tools transfer do not match');
    expect(other.out).toContain('Decision: deny by the default');
  });

  it('refuses bad flags and malformed files with a clear line', async () => {
    const badArgs = await run(['policy', 'explain', policyFile, '--tool', 't', '--args', '[1]']);
    expect(badArgs.code).toBe(2);
    expect(badArgs.err).toContain('--args must be a JSON object');
    const broken = file('dup.yaml', 'version: 1\nversion: 1\n');
    const badFile = await run(['policy', 'explain', broken, '--tool', 't']);
    expect(badFile.code).toBe(1);
    expect(badFile.err).toContain(`${broken}:2: YAML syntax error`);
  });
});

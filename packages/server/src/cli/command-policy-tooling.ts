import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  loadPolicy,
  type PolicyExplanation,
  parsePolicyCases,
  runPolicyCases,
} from '@countersign/core/policy';
import { CliError, type CliIo } from './cli-support.js';

/** `countersign policy test FILE CASES.yaml`: runs expected outcomes through the policy. */
export async function policyTestCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const [file, casesFile] = positionals;
  if (!file || !casesFile) throw new CliError('Usage: countersign policy test FILE CASES.yaml', 2);
  const policy = await loadPolicy(file);
  let text: string;
  try {
    text = await readFile(casesFile, 'utf8');
  } catch (error) {
    throw new CliError(`${casesFile}: cannot read the cases file: ${(error as Error).message}`);
  }
  const results = runPolicyCases(policy, parsePolicyCases(text, casesFile));
  const failed = results.filter((result) => result.problems.length > 0);
  if (values.json) {
    io.out(
      JSON.stringify({
        passed: results.length - failed.length,
        failed: failed.length,
        results: results.map(({ case: entry, actual, problems }) => ({
          name: entry.name,
          line: entry.line,
          expected: entry.expect,
          actual,
          problems,
        })),
      }),
    );
  } else {
    io.out(`${file} with ${casesFile}`);
    for (const { case: entry, problems } of results) {
      const where = entry.line === undefined ? casesFile : `${casesFile}:${entry.line}`;
      io.out(`  ${problems.length === 0 ? 'PASS' : 'FAIL'}  ${entry.name}  (${where})`);
      for (const problem of problems) io.out(`          ${problem}`);
    }
    io.out(`${results.length - failed.length} passed, ${failed.length} failed`);
  }
  return failed.length === 0 ? 0 : 1;
}

/** `countersign policy explain FILE --tool T [--args JSON] [--context JSON] [--run ID]`. */
export async function policyExplainCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      tool: { type: 'string' },
      args: { type: 'string', default: '{}' },
      context: { type: 'string' },
      run: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const [file] = positionals;
  if (!file || !values.tool) {
    throw new CliError('Usage: countersign policy explain FILE --tool T [--args JSON]', 2);
  }
  const policy = await loadPolicy(file);
  const input = {
    toolName: values.tool,
    args: jsonObjectFlag('--args', values.args),
    ...(values.context === undefined
      ? {}
      : { context: jsonObjectFlag('--context', values.context) }),
    ...(values.run === undefined ? {} : { runId: values.run }),
  };
  const explanation = policy.explain?.(input);
  if (!explanation) throw new CliError(`${file}: this policy cannot explain its decisions`);
  if (values.json) io.out(JSON.stringify(explanation));
  else for (const line of describeExplanation(explanation)) io.out(line);
  return 0;
}

/** The explanation as lines a person reads top to bottom. */
export function describeExplanation(explanation: PolicyExplanation): string[] {
  const { decision } = explanation;
  const lines = [`${explanation.source}: tool ${explanation.toolName}`];
  for (const rule of explanation.rules) {
    const where = rule.line === undefined ? '' : ` (line ${rule.line})`;
    const head = `  ${rule.decided ? '=>' : '  '} ${rule.name}${where} ${rule.action}`;
    if (!rule.considered) {
      lines.push(`${head}: not considered, tools ${rule.tools.join(', ')} do not match`);
      continue;
    }
    const condition =
      rule.condition === 'none'
        ? 'no condition'
        : `when ${rule.when} is ${rule.condition}${rule.error ? ` (${rule.error})` : ''}`;
    const verdict = rule.decided
      ? 'decides'
      : rule.matches
        ? 'matches, but an earlier rule decided'
        : 'does not match';
    lines.push(`${head}: ${condition}; ${verdict}`);
  }
  const by = explanation.defaultApplied ? 'the default' : `rule ${decision.rule}`;
  const approval = decision.approval
    ? ` (assignees ${decision.approval.assignees.join(', ') || 'any reviewer'}, quorum ${decision.approval.quorum})`
    : '';
  const message = decision.message ? `: ${decision.message}` : '';
  lines.push(`Decision: ${decision.action} by ${by}${approval}${message}`);
  return lines;
}

function jsonObjectFlag(flag: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${flag} is not JSON: ${(error as Error).message}`, 2);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliError(`${flag} must be a JSON object`, 2);
  }
  return value as Record<string, unknown>;
}

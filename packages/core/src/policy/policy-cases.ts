import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { assigneeSchema, jsonObjectSchema, toolAnnotationsSchema } from '../protocol/schemas.js';
import { policyInvalid } from './policy-error.js';
import type { Policy, PolicyAction, PolicyDecision } from './policy-types.js';
import { yamlLocator } from './yaml-locator.js';

const actionSchema = z.enum(['allow', 'deny', 'require']);

const expectationSchema = z.union([
  actionSchema,
  z.strictObject({
    action: actionSchema,
    /** The rule that must decide (its name, or `#N`); `default` for the policy's default. */
    rule: z.string().min(1).optional(),
    /** For `require`: exactly these assignees, in any order. */
    assignees: z.array(assigneeSchema).optional(),
    /** For `require`: this quorum. */
    quorum: z.int().min(1).optional(),
    /** For `deny`: the message for the model contains this text. */
    message: z.string().min(1).optional(),
  }),
]);

const caseSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  tool: z.string().min(1).max(256),
  args: jsonObjectSchema.default({}),
  context: jsonObjectSchema.optional(),
  annotations: toolAnnotationsSchema.optional(),
  /** The run id (`run.id` in conditions), or `{ id }`. */
  run: z.union([z.string().min(1), z.strictObject({ id: z.string().min(1) })]).optional(),
  expect: expectationSchema,
});

const casesFileSchema = z.union([
  z.array(caseSchema).min(1),
  z.strictObject({ cases: z.array(caseSchema).min(1) }),
]);

/** One expected outcome of a `policy test` cases file. */
export interface PolicyExpectation {
  action: PolicyAction;
  rule?: string;
  assignees?: string[];
  quorum?: number;
  message?: string;
}

/** One case of a `policy test` cases file, validated. */
export interface PolicyCase {
  /** The case's name, or `tool #N`. */
  name: string;
  /** The 1-based line of the case in its file. */
  line: number | undefined;
  tool: string;
  args: Record<string, unknown>;
  context?: Record<string, unknown>;
  annotations?: z.infer<typeof toolAnnotationsSchema>;
  runId?: string;
  expect: PolicyExpectation;
}

/** The result of one case. */
export interface PolicyCaseResult {
  case: PolicyCase;
  /** What the policy decided. */
  actual: PolicyDecision;
  /** Empty when the case passed; else one line per difference. */
  problems: string[];
}

/**
 * Parses a cases file (YAML or JSON): a list of cases, or `{ cases: [...] }`, each
 * `{ name?, tool, args?, context?, annotations?, run?, expect }` where `expect` is `allow`,
 * `deny`, `require` or `{ action, rule?, assignees?, quorum?, message? }`.
 * @throws PolicyInvalidError naming the file and line of the bad case.
 */
export function parsePolicyCases(text: string, file = 'cases'): PolicyCase[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    throw policyInvalid({
      source: file,
      line: syntaxError.linePos?.[0].line,
      path: [],
      ruleName: undefined,
      message: `YAML syntax error: ${syntaxError.message.split('\n')[0]}`,
    });
  }
  const locate = yamlLocator(document, lineCounter);
  const value: unknown = document.toJS();
  const parsed = casesFileSchema.safeParse(value);
  if (!parsed.success) {
    // The union hides which branch was meant: report against the shape the file uses.
    const meant = Array.isArray(value) ? z.array(caseSchema).min(1) : casesFileSchema.options[1];
    const issue = (meant.safeParse(value).error ?? parsed.error).issues[0] as z.core.$ZodIssue;
    const path =
      issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    throw policyInvalid({
      source: file,
      line: locate(path),
      path,
      ruleName: undefined,
      message: issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message,
    });
  }
  const cases = Array.isArray(parsed.data) ? parsed.data : parsed.data.cases;
  const prefix = Array.isArray(parsed.data) ? [] : ['cases'];
  return cases.map((entry, index): PolicyCase => {
    const result: PolicyCase = {
      name: entry.name ?? `${entry.tool} #${index + 1}`,
      line: locate([...prefix, index]),
      tool: entry.tool,
      args: entry.args,
      expect: typeof entry.expect === 'string' ? { action: entry.expect } : entry.expect,
    };
    if (entry.context !== undefined) result.context = entry.context;
    if (entry.annotations !== undefined) result.annotations = entry.annotations;
    if (entry.run !== undefined)
      result.runId = typeof entry.run === 'string' ? entry.run : entry.run.id;
    return result;
  });
}

/** Runs each case through `policy.evaluate` and compares the outcome with its expectation. */
export function runPolicyCases(policy: Policy, cases: readonly PolicyCase[]): PolicyCaseResult[] {
  return cases.map((entry) => {
    const actual = policy.evaluate({
      toolName: entry.tool,
      args: entry.args,
      ...(entry.context === undefined ? {} : { context: entry.context }),
      ...(entry.annotations === undefined ? {} : { annotations: entry.annotations }),
      ...(entry.runId === undefined ? {} : { runId: entry.runId }),
    });
    return { case: entry, actual, problems: compare(entry.expect, actual) };
  });
}

function compare(expected: PolicyExpectation, actual: PolicyDecision): string[] {
  const problems: string[] = [];
  if (actual.action !== expected.action) {
    problems.push(`expected ${expected.action}, got ${actual.action}`);
  }
  const rule = actual.rule ?? 'default';
  if (expected.rule !== undefined && expected.rule !== rule) {
    problems.push(`expected rule ${expected.rule}, got ${rule}`);
  }
  if (expected.assignees !== undefined) {
    const want = [...expected.assignees].sort();
    const got = [...(actual.approval?.assignees ?? [])].sort();
    if (want.join('\n') !== got.join('\n')) {
      problems.push(`expected assignees [${want.join(', ')}], got [${got.join(', ')}]`);
    }
  }
  if (expected.quorum !== undefined && expected.quorum !== actual.approval?.quorum) {
    problems.push(`expected quorum ${expected.quorum}, got ${actual.approval?.quorum ?? 'none'}`);
  }
  if (expected.message !== undefined && !actual.message?.includes(expected.message)) {
    problems.push(
      `expected a message containing ${JSON.stringify(expected.message)}, got ${JSON.stringify(actual.message ?? '')}`,
    );
  }
  return problems;
}

import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { compilePolicy } from './compile-policy.js';
import { policyInvalid } from './policy-error.js';
import { type PolicyDefinition, policyFileSchema } from './policy-schema.js';
import type { Policy } from './policy-types.js';
import type { Locator } from './yaml-locator.js';
import { yamlLocator } from './yaml-locator.js';

/** Options for {@link parsePolicy}. */
export interface ParsePolicyOptions {
  /** The file name used in error messages. Default `policy`. */
  file?: string;
  /** `yaml` or `json`. Default: `json` when the file name ends in `.json`, else `yaml`. */
  format?: 'yaml' | 'json';
}

const NO_LINES: Locator = () => undefined;

/**
 * Parses and validates a policy from YAML or JSON text, compiling every condition once.
 * @throws PolicyInvalidError naming the file, line and rule, e.g.
 *   `countersign.yaml:14: rule "big-transfers": when: Unexpected token: GT`.
 */
export function parsePolicy(text: string, options: ParsePolicyOptions = {}): Policy {
  const source = options.file ?? 'policy';
  const format = options.format ?? (source.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
  if (format === 'json') assertJson(text, source);
  const lineCounter = new LineCounter();
  // JSON is YAML 1.2, so one parser gives line numbers for both formats.
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    throw policyInvalid({
      source,
      line: syntaxError.linePos?.[0].line,
      path: [],
      ruleName: undefined,
      message: `${format === 'json' ? 'JSON' : 'YAML'} syntax error: ${syntaxError.message.split('\n')[0]}`,
    });
  }
  return buildPolicy(document.toJS(), source, yamlLocator(document, lineCounter));
}

/**
 * Validates a policy written as a JavaScript object (the same structure as the file).
 * @throws PolicyInvalidError naming the rule and field.
 */
export function definePolicy(definition: PolicyDefinition, label = 'policy'): Policy {
  return buildPolicy(definition, label, NO_LINES);
}

function buildPolicy(value: unknown, source: string, locate: Locator): Policy {
  const parsed = policyFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path =
      issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    throw policyInvalid({
      source,
      line: locate(path),
      path,
      ruleName: ruleNameAt(value, path),
      message: issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message,
      details: { issues: parsed.error.issues.map(({ path, message }) => ({ path, message })) },
    });
  }
  return compilePolicy(parsed.data, source, locate);
}

function ruleNameAt(value: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'rules' || typeof path[1] !== 'number') return undefined;
  const rules = (value as { rules?: unknown })?.rules;
  const rule = Array.isArray(rules) ? rules[path[1]] : undefined;
  const name = (rule as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

function assertJson(text: string, source: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    // V8 names the position for some errors only; the YAML parser finds the line for the others.
    const line =
      position === undefined
        ? parseDocument(text, { prettyErrors: true }).errors[0]?.linePos?.[0].line
        : text.slice(0, Number(position)).split('\n').length;
    throw policyInvalid({
      source,
      line,
      path: [],
      ruleName: undefined,
      message: `JSON syntax error: ${(error as Error).message.split('\n')[0]}`,
    });
  }
}

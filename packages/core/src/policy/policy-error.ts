import { PolicyInvalidError } from '../errors/errors.js';

/** Where in a policy something went wrong. */
export interface PolicyProblem {
  /** The file name or label. */
  source: string;
  /** 1-based line, when the policy came from text. */
  line: number | undefined;
  /** Path inside the document, e.g. `['rules', 2, 'when']`. */
  path: readonly PropertyKey[];
  /** The rule's name, when the path is inside a named rule. */
  ruleName: string | undefined;
  message: string;
  details?: Record<string, unknown>;
}

/** Builds the error whose message reads `file:line: rule "name": field: message`. */
export function policyInvalid(problem: PolicyProblem): PolicyInvalidError {
  const { source, line, path, ruleName } = problem;
  const inRule = path[0] === 'rules' && typeof path[1] === 'number';
  const rule = inRule ? (ruleName ?? `#${(path[1] as number) + 1}`) : undefined;
  const field = (inRule ? path.slice(2) : path).map(String).join('.');
  const parts = [line === undefined ? source : `${source}:${line}`];
  if (rule !== undefined) parts.push(ruleName ? `rule "${ruleName}"` : `rule ${rule}`);
  if (field) parts.push(field);
  parts.push(problem.message);
  return new PolicyInvalidError({
    message: parts.join(': '),
    file: source,
    ...(line === undefined ? {} : { line }),
    ...(rule === undefined ? {} : { rule }),
    details: { path: path.map(String), ...problem.details },
  });
}

import { CountersignError } from '../errors/index.js';
import { mergeApproval } from '../policy/compile-policy.js';
import { approvalBlockSchema } from '../policy/policy-schema.js';
import type { ApprovalSpec, Policy, PolicyDecision } from '../policy/policy-types.js';
import type { ApprovalOverride } from './gate-types.js';

/** One approval from any reviewer, no deadline: for policies that carry no `approval` defaults. */
export const DEFAULT_APPROVAL: ApprovalSpec = Object.freeze({
  kind: 'approval',
  assignees: [],
  quorum: 1,
  onTimeout: 'deny',
});

/**
 * Turns a policy `allow` into a `require` because the caller asked for a human
 * (`GateCheckInput.requireApproval`): the caller's spec merged over the policy's `approval`
 * defaults. The rule that matched is kept, so the record says which rule would have let it run.
 *
 * @throws CountersignError `validation_failed` for a spec the policy file itself would refuse.
 */
export function callerRequire(
  policy: Policy,
  allowed: PolicyDecision,
  requested: true | ApprovalOverride,
): PolicyDecision {
  const defaults = policy.approvalDefaults ?? DEFAULT_APPROVAL;
  const approval = requested === true ? defaults : merged(defaults, requested);
  return {
    action: 'require',
    approval,
    ...(allowed.rule === undefined ? {} : { rule: allowed.rule }),
  };
}

function merged(defaults: ApprovalSpec, requested: unknown): ApprovalSpec {
  // Fail closed: only `true` or an approval block asks for a human; anything else is a caller bug.
  if (typeof requested !== 'object' || requested === null || Array.isArray(requested)) {
    throw invalid('requireApproval must be true, false or an approval block', []);
  }
  const parsed = approvalBlockSchema.safeParse(requested);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
    );
    throw invalid(
      `requireApproval is not a valid approval block (${problems.join('; ')})`,
      problems,
    );
  }
  const spec = mergeApproval(defaults, parsed.data);
  if (spec.kind === 'form' && spec.responseSchema === undefined) {
    throw invalid('requireApproval: a form request needs a responseSchema', []);
  }
  if (spec.kind === 'clarification' && spec.question === undefined) {
    throw invalid('requireApproval: a clarification request needs a question', []);
  }
  return spec;
}

function invalid(message: string, problems: string[]): CountersignError {
  return new CountersignError('validation_failed', { message, details: { problems } });
}

import type { RequestPolicy, ScopeRule } from '../protocol/index.js';
import { type Condition, ConditionSyntaxError, compileCondition } from './cel-condition.js';
import { type CompiledRule, evaluateRules } from './evaluate-rules.js';
import type { PolicyAction, PolicyInput } from './policy-types.js';

/** Where a call lands in a request's policy: the rule (absent for the default) and its assignees. */
export interface ScopeMatch {
  action: PolicyAction;
  rule?: string;
  /** For `require`: who may approve there (empty: any reviewer). */
  assignees: readonly string[];
}

/**
 * Compiles the policy a request carries (see `requestPolicySchema`) into the same first-match
 * evaluation the gate's policy runs, so the server and the gate agree on where a call lands. The
 * tool patterns were already matched by the gate, so every rule applies to the request's tool.
 *
 * @throws ConditionSyntaxError for a condition that does not compile, naming the rule.
 */
export function compileRequestPolicy(policy: RequestPolicy): (input: PolicyInput) => ScopeMatch {
  const rules = policy.rules.map(
    (rule): CompiledRule<ScopeMatch> => ({
      condition: rule.when === undefined ? undefined : compiled(rule),
      decision: Object.freeze({
        action: rule.action,
        rule: rule.name,
        assignees: Object.freeze([...(rule.assignees ?? [])]),
      }),
    }),
  );
  const fallback: ScopeMatch = Object.freeze({
    action: policy.default.action,
    assignees: Object.freeze([...(policy.default.assignees ?? [])]),
  });
  return (input) => evaluateRules(rules, fallback, input);
}

function compiled(rule: ScopeRule): Condition {
  try {
    return compileCondition(rule.when as string);
  } catch (error) {
    const summary = error instanceof ConditionSyntaxError ? error.summary : String(error);
    throw new ConditionSyntaxError(`rule "${rule.name}": ${summary}`);
  }
}

import { activationFor, type CompiledRule, conditionDecides } from './evaluate-rules.js';
import type { PolicyAction, PolicyDecision, PolicyInput } from './policy-types.js';

/**
 * What a rule's condition gave: `none` (the rule has no `when`), `true`, `false`, `error` (it
 * could not be evaluated, e.g. a missing field), or `not-evaluated` (the tool did not match).
 */
export type ConditionOutcome = 'none' | 'true' | 'false' | 'error' | 'not-evaluated';

/** One rule of an explanation, in file order. */
export interface RuleExplanation {
  /** 1-based position in the file. */
  position: number;
  /** The rule's name, or `#N` when unnamed. */
  name: string;
  /** The rule's line in the file, when the policy came from text. */
  line?: number;
  action: PolicyAction;
  /** The rule's tool globs (`*` when it names none). */
  tools: readonly string[];
  /** Whether the tool name matches the globs: only such rules are considered. */
  considered: boolean;
  /** The rule's CEL condition, when it has one. */
  when?: string;
  condition: ConditionOutcome;
  /** The evaluation error, when `condition` is `error`. */
  error?: string;
  /**
   * Whether the rule would decide the call on its own (its tool matches and its condition holds,
   * or errored on a deny/require rule: errors fail closed).
   */
  matches: boolean;
  /** Whether it is the rule that decided: the first match in file order. */
  decided: boolean;
}

/** Why a policy decides what it decides for one call (see {@link Policy.explain}). */
export interface PolicyExplanation {
  /** The file or label the policy came from. */
  source: string;
  /** The tool name explained. */
  toolName: string;
  /** The decision, identical to `policy.evaluate(input)`. */
  decision: PolicyDecision;
  /** Every rule in file order, also those past the deciding one (for what-if reading). */
  rules: RuleExplanation[];
  /** True when no rule matched and the policy's `default` applied. */
  defaultApplied: boolean;
}

/** A compiled rule with what an explanation shows of it. */
export interface ExplainableRule extends CompiledRule<PolicyDecision> {
  name: string;
  line: number | undefined;
  tools: readonly string[];
  when: string | undefined;
}

/**
 * Explains one call over all `rules`, with `candidates` the rules the index picks for the tool
 * (the same list `evaluate` walks), so the decision is the one evaluation gives.
 */
export function explainRules(
  source: string,
  rules: readonly ExplainableRule[],
  candidates: readonly ExplainableRule[],
  fallback: PolicyDecision,
  input: PolicyInput,
): PolicyExplanation {
  const considered = new Set(candidates);
  const activation = activationFor(input);
  let decision: PolicyDecision | undefined;
  const explained = rules.map((rule, index): RuleExplanation => {
    const entry: RuleExplanation = {
      position: index + 1,
      name: rule.name,
      action: rule.decision.action,
      tools: rule.tools,
      considered: considered.has(rule),
      condition: 'not-evaluated',
      matches: false,
      decided: false,
    };
    if (rule.line !== undefined) entry.line = rule.line;
    if (rule.when !== undefined) entry.when = rule.when;
    if (!entry.considered) return entry;
    if (rule.condition === undefined) {
      entry.condition = 'none';
      entry.matches = true;
    } else {
      const result = rule.condition(activation);
      entry.condition = result === true ? 'true' : result === false ? 'false' : 'error';
      if (result instanceof Error) entry.error = result.message.split('\n')[0] ?? result.message;
      entry.matches = conditionDecides(result, rule.decision.action);
    }
    if (entry.matches && decision === undefined) {
      entry.decided = true;
      decision = rule.decision;
    }
    return entry;
  });
  return {
    source,
    toolName: input.toolName,
    decision: decision ?? fallback,
    rules: explained,
    defaultApplied: decision === undefined,
  };
}

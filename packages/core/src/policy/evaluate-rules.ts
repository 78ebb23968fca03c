import type { ToolAnnotations } from '../protocol/index.js';
import type { Condition, ConditionActivation } from './cel-condition.js';
import type { PolicyAction, PolicyInput } from './policy-types.js';

/** A rule ready to evaluate: what it decides is `decision`, whatever shape the caller needs. */
export interface CompiledRule<D extends { action: PolicyAction }> {
  condition: Condition | undefined;
  /** Frozen, shared by every evaluation this rule decides. */
  decision: D;
}

const NO_ANNOTATIONS: ToolAnnotations = Object.freeze({});
const EMPTY: Record<string, unknown> = Object.freeze({});

/** What a condition sees of one call. */
export function activationFor(input: PolicyInput): ConditionActivation {
  return {
    tool: { name: input.toolName, annotations: input.annotations ?? NO_ANNOTATIONS },
    args: input.args ?? EMPTY,
    context: input.context ?? EMPTY,
    run: input.runId === undefined ? EMPTY : { id: input.runId },
  };
}

/**
 * Whether a rule with this condition result decides the call. Fail closed: a condition that
 * cannot be evaluated matches a deny or require rule and does not match an allow rule, so an
 * error never lets a call through. Shared by evaluation and explanation so they cannot disagree.
 */
export function conditionDecides(result: boolean | Error, action: PolicyAction): boolean {
  return result === true || (result !== false && action !== 'allow');
}

/**
 * Walks rules already known to match the call's tool (see `createRuleIndex`), in file order:
 * the first whose condition holds decides, then `fallback`.
 */
export function evaluateRules<D extends { action: PolicyAction }>(
  candidates: readonly CompiledRule<D>[],
  fallback: D,
  input: PolicyInput,
): D {
  let activation: ConditionActivation | undefined;
  for (const rule of candidates) {
    if (rule.condition === undefined) return rule.decision;
    activation ??= activationFor(input);
    if (conditionDecides(rule.condition(activation), rule.decision.action)) return rule.decision;
  }
  return fallback;
}

export { ConditionSyntaxError } from './cel-condition.js';
export { MAX_COMPREHENSIONS, unsafeConditionReason } from './condition-cost.js';
export { DEFAULT_POLICY } from './default-policy.js';
export type {
  ConditionOutcome,
  PolicyExplanation,
  RuleExplanation,
} from './explain-policy.js';
export { compileGlobs, isValidGlob } from './glob.js';
export { loadPolicy } from './load-policy.js';
export { definePolicy, type ParsePolicyOptions, parsePolicy } from './parse-policy.js';
export {
  type PolicyCase,
  type PolicyCaseResult,
  type PolicyExpectation,
  parsePolicyCases,
  runPolicyCases,
} from './policy-cases.js';
export type { PolicyDefinition } from './policy-schema.js';
export type {
  ApprovalSpec,
  Policy,
  PolicyAction,
  PolicyDecision,
  PolicyInput,
} from './policy-types.js';
export { compileRequestPolicy, type ScopeMatch } from './request-policy.js';

import { type PreviewDescriptor, parsePreviewPath, type ScopeRule } from '../protocol/index.js';
import { type Condition, compileCondition, compileValueExpression } from './cel-condition.js';
import { evaluateRules } from './evaluate-rules.js';
import { type ExplainableRule, explainRules } from './explain-policy.js';
import { grantsToSend, resolveGrants } from './grants-scope.js';
import { policyInvalid } from './policy-error.js';
import type { ApprovalBlock, PolicyFile } from './policy-schema.js';
import type { ApprovalSpec, Policy, PolicyAction, PolicyDecision } from './policy-types.js';
import { createRuleIndex } from './rule-index.js';
import type { Locator } from './yaml-locator.js';

interface PolicyRule extends ExplainableRule {
  /** The rule as a request carries it (see {@link Policy.scopeFor}). */
  scope: ScopeRule;
}

/** Compiles a validated policy: globs to matchers, conditions to CEL programs, approvals merged. */
export function compilePolicy(file: PolicyFile, source: string, locate: Locator): Policy {
  const rules = file.rules.map((rule, index): PolicyRule => {
    const name = rule.name ?? `#${index + 1}`;
    const fail = (field: string, message: string) =>
      policyInvalid({
        source,
        line: locate(['rules', index, field]),
        path: ['rules', index, field],
        ruleName: rule.name,
        message,
      });
    let condition: Condition | undefined;
    if (rule.when !== undefined) {
      try {
        condition = compileCondition(rule.when);
      } catch (error) {
        throw fail('when', (error as Error).message);
      }
    }
    const approval =
      rule.action === 'require' ? mergeApproval(file.approval, rule.approval) : undefined;
    if (approval?.kind === 'form' && approval.responseSchema === undefined) {
      throw fail('approval', 'a form request needs a responseSchema');
    }
    if (approval?.kind === 'clarification' && approval.question === undefined) {
      throw fail('approval', 'a clarification request needs a question');
    }
    const resolved = approval ? resolveGrants(rule.grants, file.grants, approval) : undefined;
    if (typeof resolved === 'string') throw fail('grants', resolved);
    const grants =
      approval && resolved !== undefined ? grantsToSend(resolved, approval) : undefined;
    const previewError = approval?.preview && previewExpressionError(approval.preview);
    if (previewError) throw fail('approval', previewError);
    const tools = rule.tools === undefined ? ['*'] : [rule.tools].flat();
    return {
      name,
      line: locate(['rules', index]),
      when: rule.when,
      tools,
      condition,
      decision: Object.freeze(decisionFor(rule.action, name, rule.message, approval)),
      scope: Object.freeze({
        ...scopeRule(name, rule.action, rule.when, approval),
        ...(grants === undefined ? {} : { grants }),
      }),
    };
  });
  const fallback = Object.freeze(
    decisionFor(
      file.default,
      undefined,
      file.message,
      file.default === 'require' ? mergeApproval(file.approval, undefined) : undefined,
    ),
  );
  const defaultResolved = fallback.approval
    ? resolveGrants(undefined, file.grants, fallback.approval)
    : undefined;
  if (typeof defaultResolved === 'string') {
    throw policyInvalid({
      source,
      line: locate(['grants']),
      path: ['grants'],
      ruleName: undefined,
      message: defaultResolved,
    });
  }
  const defaultGrants =
    fallback.approval && defaultResolved !== undefined
      ? grantsToSend(defaultResolved, fallback.approval)
      : undefined;
  const candidatesFor = createRuleIndex(rules, (rule) => rule.tools);
  return {
    source,
    ruleCount: rules.length,
    defaultAction: file.default,
    approvalDefaults: Object.freeze(mergeApproval(file.approval, undefined)),
    evaluate: (input) => evaluateRules(candidatesFor(input.toolName), fallback, input),
    explain: (input) => explainRules(source, rules, candidatesFor(input.toolName), fallback, input),
    scopeFor: (toolName) => ({
      rules: candidatesFor(toolName).map((rule) => rule.scope),
      default: {
        action: fallback.action,
        ...(fallback.approval ? { assignees: [...fallback.approval.assignees] } : {}),
        ...(defaultGrants === undefined ? {} : { grants: defaultGrants }),
      },
    }),
  };
}

function scopeRule(
  name: string,
  action: PolicyAction,
  when: string | undefined,
  approval: ApprovalSpec | undefined,
): ScopeRule {
  return {
    name,
    action,
    ...(when === undefined ? {} : { when }),
    ...(approval ? { assignees: [...approval.assignees] } : {}),
  };
}

function decisionFor(
  action: PolicyAction,
  rule: string | undefined,
  message: string | undefined,
  approval: ApprovalSpec | undefined,
): PolicyDecision {
  const decision: PolicyDecision = { action };
  if (rule !== undefined) decision.rule = rule;
  if (action === 'deny' && message !== undefined) decision.message = message;
  if (approval !== undefined) decision.approval = Object.freeze(approval);
  return decision;
}

/** Merges an approval block over defaults, filling what neither sets (`approval`, quorum 1, `deny`). */
export function mergeApproval(
  defaults: ApprovalBlock | undefined,
  own: ApprovalBlock | undefined,
): ApprovalSpec {
  const merged = { ...defaults, ...own };
  const spec: ApprovalSpec = {
    kind: merged.kind ?? 'approval',
    assignees: merged.assignees ?? [],
    quorum: merged.quorum ?? 1,
    onTimeout: merged.onTimeout ?? 'deny',
  };
  if (merged.timeout !== undefined) spec.timeout = merged.timeout;
  if (merged.reminders !== undefined) spec.reminders = merged.reminders;
  if (merged.escalation !== undefined) {
    spec.escalation = { ...merged.escalation, mode: merged.escalation.mode ?? 'add' };
  }
  if (merged.question !== undefined) spec.question = merged.question;
  if (merged.responseSchema !== undefined) spec.responseSchema = merged.responseSchema;
  if (merged.channel !== undefined) spec.channel = merged.channel;
  if (merged.preview !== undefined) spec.preview = merged.preview;
  if (merged.notify !== undefined) spec.notify = merged.notify;
  return spec;
}

/** A typo in a preview's expression is found at load, like one in a condition. */
function previewExpressionError(preview: PreviewDescriptor): string | undefined {
  for (const [part, source] of Object.entries(preview.fields)) {
    if (parsePreviewPath(source)) continue;
    try {
      compileValueExpression(source);
    } catch (error) {
      return `the preview part "${part}": ${(error as Error).message}`;
    }
  }
  return undefined;
}

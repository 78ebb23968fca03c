import {
  compileRequestPolicy,
  type ScopeMatch,
  unsafeConditionReason,
} from '@countersign/core/policy';
import type { ApprovalRequest, JsonObject, RequestPolicy } from '@countersign/core/protocol';
import { isAssigneeOf, type Principal } from '../auth/principal.js';
import { fail } from './failures.js';

// No cache: compiling a tool's few rules costs about as much as hashing them for a cache key.
function evaluatorFor(policy: RequestPolicy): ReturnType<typeof compileRequestPolicy> {
  try {
    return compileRequestPolicy(policy);
  } catch (error) {
    throw fail('validation_failed', `policy: ${(error as Error).message}`);
  }
}

/** Refuses, at create, a request policy whose conditions do not compile. */
export function assertUsablePolicy(policy: RequestPolicy): void {
  evaluatorFor(policy);
}

/**
 * The conditions came from the requesting agent and run on the event loop, which has no budget
 * for them: an edit is refused (fail closed) rather than evaluated when one of them could stall
 * it. Approving or rejecting the request stays possible.
 */
function assertSafeToEvaluate(policy: RequestPolicy): void {
  for (const rule of policy.rules) {
    const reason = rule.when === undefined ? undefined : unsafeConditionReason(rule.when);
    if (reason === undefined) continue;
    throw fail(
      'unprocessable',
      `This request cannot be edited: the server cannot safely check edited arguments against rule "${rule.name}" of its policy (${reason}); approve or reject it instead`,
      { rule: rule.name },
    );
  }
}

/**
 * The server's half of checking an edit against the policy a request carries: when the edited
 * arguments fall under another `require` rule whose assignees the editor is not one of, the edit
 * is refused. The server does not hold the policy; it trusts the rules the requesting agent sent,
 * as it trusts the assignees the agent chose. Everything else (an edit into a deny rule, or into
 * a rule the editor may approve under) is the gate's to decide: it refuses the first and asks
 * again under the new rule for the second.
 */
export function assertEditWithinPolicy(
  principal: Principal,
  request: ApprovalRequest,
  args: JsonObject,
): void {
  const { policy, tool } = request;
  if (!policy || !tool) return;
  assertSafeToEvaluate(policy);
  const landed: ScopeMatch = evaluatorFor(policy)({
    toolName: tool.name,
    args,
    context: request.context,
    ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
    ...(request.runId === undefined ? {} : { runId: request.runId }),
  });
  if (landed.action !== 'require' || landed.rule === policy.rule) return;
  if (principal.role === 'admin' || isAssigneeOf(principal, landed.assignees)) return;
  const where = landed.rule === undefined ? "the policy's default" : `rule "${landed.rule}"`;
  throw fail(
    'forbidden',
    `${principal.id} may not make this edit: the edited arguments need approval under ${where}, and ${principal.id} is not one of its assignees (${landed.assignees.join(', ')})`,
    { rule: landed.rule ?? null, assignees: [...landed.assignees] },
  );
}

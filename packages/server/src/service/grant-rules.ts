import {
  ConditionSyntaxError,
  compileGlobs,
  compileRequestPolicy,
  unsafeConditionReason,
} from '@countersign/core/policy';
import {
  type ApprovalRequest,
  type Grant,
  type GrantStatus,
  parseDuration,
} from '@countersign/core/protocol';
import { assigneeIdentities, isEligibleReviewer, type Principal } from '../auth/principal.js';
import type { GrantRecord, GrantVisibility } from '../store/store-types.js';
import { fail } from './failures.js';

/** Where a grant stands at `now` (ms). */
export function grantStatus(grant: GrantRecord, now: number): GrantStatus {
  if (grant.revokedAt !== undefined) return 'revoked';
  if (grant.maxUses !== undefined && grant.uses >= grant.maxUses) return 'exhausted';
  return Date.parse(grant.expiresAt) <= now ? 'expired' : 'active';
}

/** A grant as the API returns it: the stored record with its status, without the granter's groups. */
export function grantView(grant: GrantRecord, now: number): Grant {
  const { granterRole: _role, granterGroups: _groups, granterKeyId: _key, ...visible } = grant;
  return { ...visible, status: grantStatus(grant, now) };
}

/** Which grants a principal may see (and list). */
export function grantVisibilityFor(principal: Principal): GrantVisibility {
  if (principal.role === 'admin') return { all: true };
  if (principal.role === 'agent') return { agent: principal.id };
  return { grantedBy: principal.id, assignees: assigneeIdentities(principal) };
}

/** True when the principal may see the grant: the same rule as the list, for one grant. */
export function canSeeGrant(principal: Principal, grant: GrantRecord): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role === 'agent') return grant.agent === undefined || grant.agent === principal.id;
  if (grant.grantedBy === principal.id || grant.assignees.length === 0) return true;
  const identities = assigneeIdentities(principal);
  return grant.assignees.some((assignee) => identities.includes(assignee));
}

/**
 * Whether grants may approve a request, from the policy rule it carries: only a tool call asked
 * for by a `require` rule (or default) whose `grants` is not false. A request without a policy
 * names no rule, so no grant applies to it. An absent `grants` (a gate from before grants) takes
 * the policy file's default: an approval with quorum 1.
 */
export function grantsAllowedFor(request: ApprovalRequest): { maxLifetimeMs?: number } | undefined {
  const { policy } = request;
  if (!request.tool || !policy) return undefined;
  if (request.kind !== 'approval' && request.kind !== 'review') return undefined;
  const rule =
    policy.rule === undefined
      ? policy.default
      : policy.rules.find((candidate) => candidate.name === policy.rule);
  if (rule?.action !== 'require') return undefined;
  const grants = rule.grants ?? (request.kind === 'approval' && request.quorum === 1 ? {} : false);
  if (grants === false) return undefined;
  const maxLifetimeMs =
    grants.maxLifetime === undefined ? undefined : parseDuration(grants.maxLifetime);
  return maxLifetimeMs === undefined ? {} : { maxLifetimeMs };
}

type Matcher = (request: ApprovalRequest) => boolean;
const MATCHER_CACHE_SIZE = 1000;
const matchers = new Map<string, Matcher>();

/**
 * Compiles a grant's condition, refusing one that does not compile or that the server cannot
 * evaluate safely (it runs on the event loop for every create it might match).
 */
export function assertUsableCondition(when: string): void {
  const unsafe = unsafeConditionReason(when);
  if (unsafe !== undefined) {
    throw fail('validation_failed', `grant condition: the server cannot evaluate it: ${unsafe}`, {
      path: '/when',
    });
  }
  try {
    compileMatcher(when);
  } catch (error) {
    const summary = error instanceof ConditionSyntaxError ? error.summary : String(error);
    throw fail('validation_failed', `grant condition: ${summary}`, { path: '/when' });
  }
}

// The same first-match engine the gate runs, with the grant as one `allow` rule: a condition
// that errors (a missing field, a type mismatch) does not match, so an error never approves.
function compileMatcher(when: string): Matcher {
  const evaluate = compileRequestPolicy({
    rules: [{ name: 'grant', action: 'allow', when }],
    default: { action: 'deny' },
  });
  return (request) => {
    const tool = request.tool;
    if (!tool) return false;
    return (
      evaluate({
        toolName: tool.name,
        args: tool.args,
        context: request.context,
        ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
        ...(request.runId === undefined ? {} : { runId: request.runId }),
      }).action === 'allow'
    );
  };
}

function matcherFor(grant: GrantRecord): Matcher {
  let matcher = matchers.get(grant.id);
  if (!matcher) {
    if (matchers.size >= MATCHER_CACHE_SIZE)
      matchers.delete(matchers.keys().next().value as string);
    const tool = compileGlobs([grant.tool]);
    const condition = compileMatcher(grant.when);
    matcher = (request) =>
      request.tool !== undefined && tool(request.tool.name) && condition(request);
    matchers.set(grant.id, matcher);
  }
  return matcher;
}

/** The granter as a principal, as they stood when granting. */
function granterOf(grant: GrantRecord): Principal {
  return {
    id: grant.grantedBy,
    role: grant.granterRole,
    name: grant.grantedBy.replace(/^user:/, ''),
    groups: grant.granterGroups,
    keyId: '',
  };
}

/**
 * Whether a live grant approves a new request: the tool and condition match, it covers the
 * requester (and run), its lifetime fits the rule's cap, and its granter could have approved
 * the request themselves (an assignee, and not the requester).
 */
export function grantMatches(
  grant: GrantRecord,
  request: ApprovalRequest,
  allowed: { maxLifetimeMs?: number },
): boolean {
  if (grant.agent !== undefined && grant.agent !== request.requester) return false;
  if (grant.runId !== undefined && grant.runId !== request.runId) return false;
  if (grant.grantedBy === request.requester) return false;
  if (!isEligibleReviewer(granterOf(grant), request)) return false;
  const lifetime = Date.parse(grant.expiresAt) - Date.parse(grant.createdAt);
  if (allowed.maxLifetimeMs !== undefined && lifetime > allowed.maxLifetimeMs) return false;
  try {
    return matcherFor(grant)(request);
  } catch {
    return false;
  }
}

import type { ApprovalRequest } from '@countersign/core/protocol';
import type { ApiKeyRecord, Role, UserRecord, Visibility } from '../store/store-types.js';

/** Who is calling, derived from their API key. */
export interface Principal {
  /** `agent:NAME` for agents, `user:NAME` for reviewers and admins. */
  id: string;
  role: Role;
  name: string;
  groups: string[];
  keyId: string;
}

/**
 * The principal an API key stands for. A reviewer or admin key belongs to the directory user of
 * its name: when there is one, the user's groups count (the key's own are from before the
 * directory).
 */
export function principalFor(record: ApiKeyRecord, user?: UserRecord): Principal {
  return {
    id: `${record.role === 'agent' ? 'agent' : 'user'}:${record.name}`,
    role: record.role,
    name: record.name,
    groups: record.role !== 'agent' && user ? user.groups : record.groups,
    keyId: record.id,
  };
}

/**
 * The reviewer principal of a directory user acting through another channel than a key (a signed
 * link, a Slack button, a session); `via` names that channel's credential, as `keyId` does a key.
 */
export function userPrincipal(user: UserRecord, via: string): Principal {
  return {
    id: `user:${user.name}`,
    role: 'reviewer',
    name: user.name,
    groups: user.groups,
    keyId: via,
  };
}

/** The assignee strings that reach this principal (`user:NAME` and each `group:G`). */
export function assigneeIdentities(principal: Principal): string[] {
  if (principal.role === 'agent') return [];
  return [principal.id, ...principal.groups.map((group) => `group:${group}`)];
}

/** Which requests the principal may list. */
export function visibilityFor(principal: Principal): Visibility {
  if (principal.role === 'admin') return { all: true };
  if (principal.role === 'agent') return { requester: principal.id };
  return { requester: principal.id, assignees: assigneeIdentities(principal) };
}

/** The part of a request that decides who may read it. */
export type RequestAudience = Pick<ApprovalRequest, 'requester' | 'assignees'>;

/** True when the principal is an eligible decider for the request (ignoring who requested it). */
export function isEligibleReviewer(principal: Principal, request: RequestAudience): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role !== 'reviewer') return false;
  return isAssigneeOf(principal, request.assignees);
}

/** True when the principal is one of `assignees` (any reviewer when empty); roles aside. */
export function isAssigneeOf(principal: Principal, assignees: readonly string[]): boolean {
  if (assignees.length === 0) return true;
  const identities = assigneeIdentities(principal);
  return assignees.some((assignee) => identities.includes(assignee));
}

/** True when the principal may read the request. */
export function canSee(principal: Principal, request: RequestAudience): boolean {
  return request.requester === principal.id || isEligibleReviewer(principal, request);
}

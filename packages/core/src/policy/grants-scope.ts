import type { ScopeGrants } from '../protocol/index.js';
import type { GrantsBlock } from './policy-schema.js';
import type { ApprovalSpec } from './policy-types.js';

/** Request kinds a grant can approve: it answers no form and no question. */
const GRANTABLE_KINDS = new Set(['approval', 'review']);

/**
 * The setting a request carries, or undefined when it is the default the server assumes for an
 * absent one (allowed for an approval with quorum 1, else false). Policies without `grants:`
 * then send the same requests as before grants existed.
 */
export function grantsToSend(grants: ScopeGrants, approval: ApprovalSpec): ScopeGrants | undefined {
  const allowedByDefault = approval.kind === 'approval' && approval.quorum === 1;
  if (grants === false) return allowedByDefault ? false : undefined;
  return allowedByDefault && grants.maxLifetime === undefined ? undefined : grants;
}

/**
 * What a `require` rule's requests carry about grants: the rule's own `grants`, else the file's,
 * else the default (allowed for an approval with quorum 1: a grant is one person's yes, and a
 * request that needs more people or another kind of answer should get them). Returns a problem
 * for grants enabled on a kind a grant cannot answer.
 */
export function resolveGrants(
  own: GrantsBlock | undefined,
  file: GrantsBlock | undefined,
  approval: ApprovalSpec,
): ScopeGrants | string {
  const chosen = own ?? file;
  if (chosen === undefined) {
    return approval.kind === 'approval' && approval.quorum === 1 ? {} : false;
  }
  if (chosen === false) return false;
  if (!GRANTABLE_KINDS.has(approval.kind)) {
    if (own === undefined) return false;
    return `a ${approval.kind} request is answered by a person, so grants cannot approve it`;
  }
  return chosen === true || chosen.maxLifetime === undefined
    ? {}
    : { maxLifetime: chosen.maxLifetime };
}

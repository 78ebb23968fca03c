import { fail } from '../../service/failures.js';
import type { Role } from '../../store/store-types.js';
import type { OidcOptions } from './identity-provider.js';

/** Who a validated ID token says signs in, as Countersign names them. */
export interface SignInIdentity {
  /** NAME of `user:NAME`. */
  name: string;
  email: string;
  groups: string[];
  /** `admin` for members of the admin group, `reviewer` otherwise. */
  role: Role;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** The value at a dotted claim path (`realm_access.roles`); a claim named with the dots wins. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let node: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The groups of a claim value: a list or one string; Keycloak's `/path` form loses its slash. */
function groupsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const groups = list
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.replace(/^\/+/, ''))
    .filter((item) => NAME_PATTERN.test(item));
  return [...new Set(groups)];
}

/** A refused sign-in: 403 `forbidden` with a sentence the person can act on. */
function refuse(message: string, details: Record<string, unknown> = {}): never {
  throw fail('forbidden', message, details);
}

/**
 * Maps validated claims to the Countersign user, applying the allow-lists: a missing or unverified
 * email, a domain or group not allowed, or a name that cannot be a Countersign name is refused.
 */
export function identityFromClaims(
  options: OidcOptions,
  claims: Record<string, unknown>,
): SignInIdentity {
  const email = claims.email;
  if (typeof email !== 'string' || !email.includes('@')) {
    refuse('The identity provider sent no email address for this account; ask for the email scope');
  }
  if (claims.email_verified === false) {
    refuse(`The identity provider has not verified the email address ${email}`);
  }
  const domain = (email.split('@').pop() as string).toLowerCase();
  const domains = options.allowedEmailDomains?.map((entry) => entry.toLowerCase());
  if (domains && !domains.includes(domain)) {
    refuse(`Accounts of ${domain} may not sign in here (allowed: ${domains.join(', ')})`, {
      domain,
    });
  }
  const groups = groupsOf(claimAt(claims, options.groupsClaim ?? 'groups'));
  const allowed = options.allowedGroups;
  if (allowed && !groups.some((group) => allowed.includes(group))) {
    refuse(`Only members of ${allowed.join(', ')} may sign in here`, { groups });
  }
  const source = options.usernameClaim
    ? claimAt(claims, options.usernameClaim)
    : (email.split('@')[0] as string).toLowerCase();
  if (typeof source !== 'string' || !NAME_PATTERN.test(source)) {
    refuse(
      `The ${options.usernameClaim ?? 'email'} claim gives no usable user name (letters, digits, . _ @ -)`,
    );
  }
  const role: Role =
    options.adminGroup !== undefined && groups.includes(options.adminGroup) ? 'admin' : 'reviewer';
  return { name: source, email, groups, role };
}

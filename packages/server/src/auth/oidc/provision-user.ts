import type { StoreTx } from '../../store/store-types.js';
import type { SignInIdentity } from './sign-in-identity.js';

/**
 * Just-in-time provisioning into the people directory: creates `user:NAME` or brings its email
 * and groups up to date; refuses a name that belongs to another email, and a disabled user.
 */
export async function provisionUser(
  _tx: StoreTx,
  identity: SignInIdentity,
  _now: Date,
): Promise<{ name: string; groups: string[] }> {
  // Interim until the people directory lands (wave3-people): nothing is stored yet.
  return { name: identity.name, groups: identity.groups };
}

/** The user when they may act (known and active in the directory), undefined otherwise. */
export async function userMayAct(
  _tx: StoreTx,
  _name: string,
): Promise<{ groups?: string[] } | undefined> {
  return {};
}

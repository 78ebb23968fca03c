import { upsertUser } from '../../people/user-directory.js';
import { fail } from '../../service/failures.js';
import type { StoreTx, UserRecord } from '../../store/store-types.js';
import type { SignInIdentity } from './sign-in-identity.js';

/**
 * Just-in-time provisioning into the people directory: creates `user:NAME` or brings its email
 * and groups up to date (a group the provider no longer lists is gone from then on). A name held
 * by another email is refused, so two accounts never share one Countersign user, and so is a
 * disabled user.
 */
export async function provisionUser(
  tx: StoreTx,
  identity: SignInIdentity,
  now: Date,
): Promise<UserRecord> {
  const existing = await tx.getUser(identity.name);
  if (existing?.email && existing.email.toLowerCase() !== identity.email.toLowerCase()) {
    throw fail(
      'conflict',
      `The user name ${identity.name} already belongs to another account (${existing.email}); an admin can rename one of them, or set --oidc-username-claim`,
      { user: identity.name },
    );
  }
  if (existing && !existing.active) {
    throw fail('forbidden', `The user ${identity.name} is disabled; ask an admin`, {
      user: identity.name,
    });
  }
  const { user } = await upsertUser(
    tx,
    identity.name,
    { email: identity.email, groups: identity.groups },
    now,
  );
  return user;
}

/** The user when they may act (in the directory and active), undefined otherwise. */
export async function userMayAct(tx: StoreTx, name: string): Promise<UserRecord | undefined> {
  const user = await tx.getUser(name);
  return user?.active ? user : undefined;
}

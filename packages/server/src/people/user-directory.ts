import { fail } from '../service/failures.js';
import type { StoreTx, UserRecord } from '../store/store-types.js';
import { assertUserFields, type UserFields } from './user-validation.js';

/** A change to a user: a field left out stays as it is, `null` clears it. */
export interface UserPatch extends Omit<UserFields, 'displayName' | 'email' | 'slackUserId'> {
  displayName?: string | null;
  email?: string | null;
  slackUserId?: string | null;
}

/** The principal and assignee id of a user: `user:NAME`. */
export const userId = (name: string): string => `user:${name}`;

/** The user named by `user:NAME` or `NAME`, if any. */
export function findUser(tx: StoreTx, name: string): Promise<UserRecord | undefined> {
  return tx.getUser(name.startsWith('user:') ? name.slice(5) : name);
}

/** The user with this email address (compared without case), if any. */
export function findUserByEmail(tx: StoreTx, email: string): Promise<UserRecord | undefined> {
  return tx.findUserByEmail(email);
}

/** The user with this Slack member id, if any (maps Slack clicks to people). */
export function findUserBySlackId(
  tx: StoreTx,
  slackUserId: string,
): Promise<UserRecord | undefined> {
  return tx.findUserBySlackId(slackUserId);
}

function applyPatch(user: UserRecord, patch: UserPatch, now: Date): UserRecord {
  const next: UserRecord = { ...user, updatedAt: now.toISOString() };
  for (const field of ['displayName', 'email', 'slackUserId'] as const) {
    const value = patch[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  if (patch.groups !== undefined) next.groups = [...new Set(patch.groups)];
  if (patch.active !== undefined) next.active = patch.active;
  if (patch.notifications !== undefined) next.notifications = { ...patch.notifications };
  return next;
}

function fieldsOf(patch: UserPatch): UserFields {
  const fields: UserFields = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== null && value !== undefined) (fields as Record<string, unknown>)[key] = value;
  }
  return fields;
}

/** Refuses an email or Slack id that already belongs to someone else (409 `conflict`). */
async function assertUnique(tx: StoreTx, user: UserRecord): Promise<void> {
  const byEmail = user.email ? await tx.findUserByEmail(user.email) : undefined;
  if (byEmail && byEmail.name !== user.name) {
    throw fail('conflict', `The email ${user.email} belongs to user:${byEmail.name}`, {
      user: byEmail.name,
    });
  }
  const bySlack = user.slackUserId ? await tx.findUserBySlackId(user.slackUserId) : undefined;
  if (bySlack && bySlack.name !== user.name) {
    throw fail('conflict', `The Slack id ${user.slackUserId} belongs to user:${bySlack.name}`, {
      user: bySlack.name,
    });
  }
}

/** Adds a user (active unless told otherwise); 409 `conflict` when the name is taken. */
export async function addUser(
  tx: StoreTx,
  name: string,
  fields: UserPatch = {},
  now: Date = new Date(),
): Promise<UserRecord> {
  assertUserFields(name, fieldsOf(fields));
  if (await tx.getUser(name)) throw fail('conflict', `The user ${name} exists`, { user: name });
  const at = now.toISOString();
  const user = applyPatch(
    { name, groups: [], active: true, notifications: {}, createdAt: at, updatedAt: at },
    fields,
    now,
  );
  await assertUnique(tx, user);
  await tx.insertUser(user);
  return user;
}

/** Changes a user; 404 `not_found` when there is none. */
export async function updateUser(
  tx: StoreTx,
  name: string,
  patch: UserPatch,
  now: Date = new Date(),
): Promise<UserRecord> {
  assertUserFields(undefined, fieldsOf(patch));
  const user = await tx.getUser(name);
  if (!user) throw fail('not_found', `No user ${name}`, { user: name });
  const next = applyPatch(user, patch, now);
  await assertUnique(tx, next);
  await tx.updateUser(next);
  return next;
}

/**
 * Creates the user or brings the given fields up to date (just-in-time provisioning: a sign-in
 * syncs email and groups). `active` changes only when given, so a disabled user stays disabled.
 */
export async function upsertUser(
  tx: StoreTx,
  name: string,
  fields: UserFields,
  now: Date = new Date(),
): Promise<{ user: UserRecord; created: boolean }> {
  if (await tx.getUser(name))
    return { user: await updateUser(tx, name, fields, now), created: false };
  return { user: await addUser(tx, name, fields, now), created: true };
}

/** Disables a user: their keys and sessions stop working, and nothing notifies them. */
export function disableUser(
  tx: StoreTx,
  name: string,
  now: Date = new Date(),
): Promise<UserRecord> {
  return updateUser(tx, name, { active: false }, now);
}

/** The active members of a group, by name. */
export function activeGroupMembers(tx: StoreTx, group: string): Promise<UserRecord[]> {
  return tx.listActiveMembers([group.startsWith('group:') ? group.slice(6) : group]);
}

/**
 * The active people that assignees (`user:NAME`, `group:G`) reach, each once: the users named
 * first, then the groups' members by name. Names missing from the directory, disabled users and other kinds of assignee reach no
 * one; no assignees (any reviewer may decide) reach no one either.
 */
export async function expandAssignees(
  tx: StoreTx,
  assignees: readonly string[],
): Promise<UserRecord[]> {
  const found = new Map<string, UserRecord>();
  const groups = assignees.filter((a) => a.startsWith('group:')).map((a) => a.slice(6));
  for (const assignee of assignees) {
    if (!assignee.startsWith('user:')) continue;
    const user = await tx.getUser(assignee.slice(5));
    if (user?.active && !found.has(user.name)) found.set(user.name, user);
  }
  for (const user of await tx.listActiveMembers(groups)) {
    if (!found.has(user.name)) found.set(user.name, user);
  }
  return [...found.values()];
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CountersignError } from '@countersign/core/protocol';
import { addUser, updateUser } from '../people/user-directory.js';
import { fail } from '../service/failures.js';
import type { ApiKeyRecord, Role, StoreTx } from '../store/store-types.js';

const KEY_PATTERN = /^csk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** The roles an API key can carry. */
export const ROLES: readonly Role[] = ['agent', 'reviewer', 'admin'];

/** What a new key is for. */
export interface NewKeyOptions {
  /** `agent` creates requests; `reviewer` decides; `admin` does everything. */
  role: Role;
  /** The principal name: agents become `agent:NAME`, people `user:NAME`. */
  name: string;
  /**
   * Reviewer groups (`group:G` assignees reach them). A reviewer or admin key belongs to the
   * directory user of its name: the user is created with these groups if missing, and given
   * them if any are named; none named keeps the user's groups.
   */
  groups?: string[];
}

/** Hex SHA-256 of a key. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Throws a validation error unless the role, name and groups are acceptable. */
export function assertKeyOptions(options: NewKeyOptions): void {
  const problems: string[] = [];
  if (!ROLES.includes(options.role)) problems.push(`role must be one of ${ROLES.join(', ')}`);
  if (!NAME_PATTERN.test(options.name)) problems.push(`name "${options.name}" is not a valid name`);
  for (const group of options.groups ?? []) {
    if (!NAME_PATTERN.test(group)) problems.push(`group "${group}" is not a valid name`);
  }
  if (problems.length > 0) {
    throw new CountersignError('validation_failed', {
      message: `Invalid key: ${problems.join('; ')}`,
      details: { problems },
    });
  }
}

/** The groups of the directory user a reviewer or admin key belongs to, creating or updating it. */
async function ownerGroups(tx: StoreTx, options: NewKeyOptions, now: Date): Promise<string[]> {
  const groups = [...new Set(options.groups ?? [])];
  const user = await tx.getUser(options.name);
  if (!user) return (await addUser(tx, options.name, { groups }, now)).groups;
  if (!user.active) {
    throw fail('conflict', `The user ${user.name} is disabled; enable them first`, {
      user: user.name,
    });
  }
  if (groups.length === 0) return user.groups;
  return (await updateUser(tx, user.name, { groups }, now)).groups;
}

/** Creates and stores a key; the returned `key` is the only time the secret exists in clear. */
export async function createApiKey(
  tx: StoreTx,
  options: NewKeyOptions,
  now: Date = new Date(),
): Promise<{ key: string; record: ApiKeyRecord }> {
  assertKeyOptions(options);
  const groups =
    options.role === 'agent'
      ? [...new Set(options.groups ?? [])]
      : await ownerGroups(tx, options, now);
  const id = randomBytes(8).toString('hex');
  const key = `csk_${id}_${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id,
    name: options.name,
    role: options.role,
    groups,
    hash: hashKey(key),
    createdAt: now.toISOString(),
  };
  await tx.insertApiKey(record);
  return { key, record };
}

/** The id part of a well-formed key, or undefined. */
export function apiKeyId(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/** Whether `record` is live and `key` its secret, comparing hashes in constant time. */
export function isLiveKeyOf(record: ApiKeyRecord | undefined, key: string): boolean {
  if (!record || record.revokedAt) return false;
  const expected = Buffer.from(record.hash, 'hex');
  const actual = Buffer.from(hashKey(key), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Finds the live key record matching `key`, comparing hashes in constant time. */
export async function verifyApiKey(tx: StoreTx, key: string): Promise<ApiKeyRecord | undefined> {
  const id = apiKeyId(key);
  if (id === undefined) return undefined;
  const record = await tx.getApiKey(id);
  return isLiveKeyOf(record, key) ? record : undefined;
}

/** Whether the key with this id is gone or revoked (the re-check of keys holding open waits). */
export async function apiKeyGone(tx: StoreTx, id: string): Promise<boolean> {
  const record = await tx.getApiKey(id);
  return !record || record.revokedAt !== undefined;
}

import type { StoreTx } from '../store/store-types.js';
import { apiKeyId, isLiveKeyOf } from './api-keys.js';
import { type Principal, principalFor } from './principal.js';

/** Who an API key stands for, or why it stands for no one. */
export type KeyResolution =
  | { principal: Principal }
  | { refused: 'unknown-key' }
  | { refused: 'user-disabled'; user: string };

/**
 * Resolves an API key to its principal: the key must be live and, for a reviewer or admin key,
 * its directory user (when there is one) active. Every channel that takes keys resolves here, so
 * disabling a user stops all of their keys at once.
 */
export async function resolveKey(tx: StoreTx, key: string): Promise<KeyResolution> {
  const id = apiKeyId(key);
  // The key and its user in one statement: on PostgreSQL a read of one SELECT needs no
  // transaction of its own (see readSnapshot).
  const found = id === undefined ? undefined : await tx.getApiKeyWithUser(id);
  if (!found || !isLiveKeyOf(found.key, key)) return { refused: 'unknown-key' };
  const record = found.key;
  if (record.role === 'agent') return { principal: principalFor(record) };
  const { user } = found;
  if (user && !user.active) return { refused: 'user-disabled', user: user.name };
  return { principal: principalFor(record, user) };
}

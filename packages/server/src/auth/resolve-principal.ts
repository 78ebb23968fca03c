import type { StoreTx } from '../store/store-types.js';
import { verifyApiKey } from './api-keys.js';
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
  const record = await verifyApiKey(tx, key);
  if (!record) return { refused: 'unknown-key' };
  if (record.role === 'agent') return { principal: principalFor(record) };
  const user = await tx.getUser(record.name);
  if (user && !user.active) return { refused: 'user-disabled', user: user.name };
  return { principal: principalFor(record, user) };
}

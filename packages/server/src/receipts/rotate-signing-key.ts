import { fail } from '../service/failures.js';
import type { Store } from '../store/store-types.js';
import { signingKeySecret } from './receipt-options.js';
import { SigningKeys } from './signing-keys.js';

/**
 * Adds a new receipt signing key, which signs from now on (running servers pick it up on their
 * next approval); the older keys stay published so their receipts still verify. Needs the
 * operator's secret: a key encrypted with a per-process one would never sign.
 */
export async function rotateSigningKey(
  store: Store,
  given: { secret?: string | undefined; file?: string | undefined },
  now: Date = new Date(),
): Promise<string> {
  const secret = signingKeySecret({
    ...(given.secret === undefined ? {} : { signingKeySecret: given.secret }),
    ...(given.file === undefined ? {} : { signingKeySecretFile: given.file }),
  });
  if (secret === undefined) {
    throw fail(
      'validation_failed',
      "keys rotate-signing needs --signing-key-secret-file or COUNTERSIGN_SIGNING_KEY_SECRET (the server's secret)",
    );
  }
  const { record } = await new SigningKeys(secret).create(now.toISOString());
  await store.transaction((tx) => tx.insertSigningKey(record));
  return record.id;
}

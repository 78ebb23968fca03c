import { readFileSync } from 'node:fs';
import { parseDuration } from '../config/duration.js';
import { fail } from '../service/failures.js';
import type { ReceiptIssuer } from './receipt-signer.js';
import { SigningKeys } from './signing-keys.js';

/** How decision receipts are signed. */
export interface ReceiptOptions {
  /**
   * How long a receipt stays valid after the approval, in milliseconds (default 600 000, ten
   * minutes). Env `COUNTERSIGN_RECEIPT_TTL`, flag `--receipt-ttl`.
   */
  ttlMs?: number;
  /**
   * The secret that encrypts the receipt signing keys in the database (AES-256-GCM with a key
   * derived by HKDF-SHA256; at least 32 characters). Unset: a random secret per process, so the
   * keys it makes sign only while it runs (their public halves stay published). Env
   * `COUNTERSIGN_SIGNING_KEY_SECRET`, flag `--signing-key-secret`.
   */
  signingKeySecret?: string;
  /**
   * A file holding `signingKeySecret` instead (a trailing newline is ignored). Env
   * `COUNTERSIGN_SIGNING_KEY_SECRET_FILE`, flag `--signing-key-secret-file`.
   */
  signingKeySecretFile?: string;
}

/** The operator's signing-key secret, from the option or its file; undefined when neither is set. */
export function signingKeySecret(options: ReceiptOptions = {}): string | undefined {
  if (options.signingKeySecret !== undefined) {
    if (
      typeof options.signingKeySecret !== 'string' ||
      options.signingKeySecret.trim().length < 32
    ) {
      throw fail('validation_failed', 'receipts.signingKeySecret must be at least 32 characters');
    }
    return options.signingKeySecret.trim();
  }
  const file = options.signingKeySecretFile;
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw fail(
      'validation_failed',
      `receipts.signingKeySecretFile cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  if (text.length < 32) {
    throw fail(
      'validation_failed',
      'receipts.signingKeySecretFile must hold at least 32 characters',
    );
  }
  return text;
}

/** The receipt options the server's environment variables give (for offline CLI commands). */
export function receiptOptionsFromEnv(env: NodeJS.ProcessEnv): ReceiptOptions {
  const ttl = env.COUNTERSIGN_RECEIPT_TTL;
  const ttlMs = ttl === undefined ? undefined : parseDuration(ttl);
  if (ttl !== undefined && ttlMs === undefined) {
    throw fail('validation_failed', `COUNTERSIGN_RECEIPT_TTL must be a duration, not "${ttl}"`);
  }
  return {
    ...(ttlMs === undefined ? {} : { ttlMs }),
    ...(env.COUNTERSIGN_SIGNING_KEY_SECRET === undefined
      ? {}
      : { signingKeySecret: env.COUNTERSIGN_SIGNING_KEY_SECRET }),
    ...(env.COUNTERSIGN_SIGNING_KEY_SECRET_FILE === undefined
      ? {}
      : { signingKeySecretFile: env.COUNTERSIGN_SIGNING_KEY_SECRET_FILE }),
  };
}

/** The receipt issuer for these options; bad values throw a `validation_failed` naming them. */
export function receiptIssuerFor(options: ReceiptOptions = {}): ReceiptIssuer {
  const ttlMs = options.ttlMs ?? 600_000;
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1000) {
    throw fail('validation_failed', 'receipts.ttlMs must be an integer of at least 1000');
  }
  return { keys: new SigningKeys(signingKeySecret(options)), ttlMs };
}

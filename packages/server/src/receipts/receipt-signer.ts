import { sign } from 'node:crypto';
import { RECEIPT_TYPE, type ReceiptClaims } from '@countersign/core/protocol';
import type { StoreTx } from '../store/store-types.js';
import type { SigningKeys } from './signing-keys.js';

/** What issues receipts: the signing keys and how long a receipt lasts. */
export interface ReceiptIssuer {
  keys: SigningKeys;
  /** Milliseconds from approval to a receipt's `exp`. */
  ttlMs: number;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs `claims` with the active key as a compact JWS (EdDSA), inside `tx`: the same bytes jose's
 * `SignJWT` makes, signed at once rather than through WebCrypto's thread pool.
 */
export async function signReceipt(
  issuer: ReceiptIssuer,
  tx: StoreTx,
  claims: ReceiptClaims,
  now: string,
): Promise<string> {
  const active = await issuer.keys.active(tx, now);
  const input = `${base64url({ alg: 'EdDSA', kid: active.id, typ: RECEIPT_TYPE })}.${base64url(claims)}`;
  return `${input}.${sign(null, Buffer.from(input), active.key).toString('base64url')}`;
}

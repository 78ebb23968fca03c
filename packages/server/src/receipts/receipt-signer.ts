import { RECEIPT_TYPE, type ReceiptClaims } from '@countersign/core/protocol';
import { SignJWT } from 'jose';
import type { StoreTx } from '../store/store-types.js';
import type { SigningKeys } from './signing-keys.js';

/** What issues receipts: the signing keys and how long a receipt lasts. */
export interface ReceiptIssuer {
  keys: SigningKeys;
  /** Milliseconds from approval to a receipt's `exp`. */
  ttlMs: number;
}

/** Signs `claims` with the active key as a compact JWS (EdDSA), inside `tx`. */
export async function signReceipt(
  issuer: ReceiptIssuer,
  tx: StoreTx,
  claims: ReceiptClaims,
  now: string,
): Promise<string> {
  const active = await issuer.keys.active(tx, now);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: active.id, typ: RECEIPT_TYPE })
    .sign(active.key);
}

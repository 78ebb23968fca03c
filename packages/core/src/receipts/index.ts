import { webFingerprint } from '../fingerprint/web-fingerprint.js';
import { joseSignature } from './jose-signature.js';
import { receiptVerifier } from './verify-receipt.js';

export {
  type FingerprintOf,
  type ReceiptKey,
  receiptVerifier,
  type SignatureCheck,
  type SignedReceipt,
  type VerifyReceipt,
  type VerifyReceiptOptions,
} from './verify-receipt.js';

/**
 * Checks that `receipt` proves a human (or a grant) approved exactly this call: a valid EdDSA
 * signature by one of the server's keys, not expired, for `toolName` with exactly `args`.
 * Resolves with the receipt's claims; throws `ReceiptInvalidError` (with `reason`) otherwise.
 * This one runs anywhere (Web Crypto); the root entry's is the same on `node:crypto`.
 *
 * @example
 * const jwks = await (await fetch(`${server}/.well-known/jwks.json`)).json();
 * const claims = await verifyReceipt(receipt, { toolName: 'transfer_funds', args, jwks });
 */
export const verifyReceipt = receiptVerifier(webFingerprint, joseSignature);

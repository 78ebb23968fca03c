import { fingerprint } from '../fingerprint/fingerprint.js';
import { nodeSignature } from './node-signature.js';
import { receiptVerifier } from './verify-receipt.js';

/**
 * Checks that `receipt` proves a human (or a grant) approved exactly this call: a valid EdDSA
 * signature by one of the server's keys, not expired, for `toolName` with exactly `args`.
 * Resolves with the receipt's claims; throws `ReceiptInvalidError` (with `reason`) otherwise.
 * Checks the signature on `node:crypto` with keys imported once per key set or key object.
 *
 * @example
 * const jwks = await client.signingKeys(); // GET /.well-known/jwks.json
 * const claims = await verifyReceipt(receipt, { toolName: 'transfer_funds', args, jwks });
 */
export const verifyReceipt = receiptVerifier(fingerprint, nodeSignature);

/**
 * `@countersign/core/receipts`: checking decision receipts on the tool side, with no Node
 * built-in (jose and Web Crypto only), so a tool server on Node, Deno, Bun or a Worker can
 * demand proof that a human approved the exact call it is about to run.
 *
 * @packageDocumentation
 */
export {
  type ReceiptFailure,
  ReceiptInvalidError,
} from './errors/receipt-invalid-error.js';
export { webFingerprint } from './fingerprint/web-fingerprint.js';
export { RECEIPT_ISSUER, RECEIPT_TYPE, type ReceiptClaims } from './protocol/receipt-claims.js';
export {
  type ReceiptKey,
  type VerifyReceipt,
  type VerifyReceiptOptions,
  verifyReceipt,
} from './receipts/index.js';

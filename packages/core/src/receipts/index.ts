export { type ReceiptKey, type VerifyReceiptOptions, verifyReceipt } from './verify-receipt.js';

import { CountersignError, type CountersignErrorOptions } from './countersign-error.js';

/**
 * Why a receipt was refused: `malformed` (not a receipt), `signature` (no published key signed it,
 * or it was changed), `expired` (past its `exp`, or not yet valid), `tool` (it approves another tool),
 * `fingerprint` (it approves other arguments).
 */
export type ReceiptFailure = 'malformed' | 'signature' | 'expired' | 'tool' | 'fingerprint';

/** A decision receipt does not prove that a human approved the call about to run. */
export class ReceiptInvalidError extends CountersignError {
  static override readonly errorName = 'ReceiptInvalidError';
  /** What was wrong with it. */
  readonly reason: ReceiptFailure;
  constructor(
    options: Omit<CountersignErrorOptions, 'message'> & { reason: ReceiptFailure; message: string },
  ) {
    super('receipt_invalid', {
      ...options,
      message: `Receipt refused (${options.reason}): ${options.message}`,
      details: { ...options.details, reason: options.reason },
    });
    this.reason = options.reason;
  }
}

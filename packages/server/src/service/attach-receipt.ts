import type { ApprovalRequest } from '@countersign/core/protocol';
import { isoTime } from '../clock.js';
import { newId } from '../ids.js';
import { signReceipt } from '../receipts/receipt-signer.js';
import type { StoreTx } from '../store/store-types.js';
import { receiptClaimsFor } from './receipt-claims.js';
import type { ServiceContext } from './service-context.js';

/**
 * Signs the receipt of a tool call the moment it becomes approved, however it got there (a
 * reviewer's decision, a grant at create time): every approval path records through
 * `recordChange`, which calls this. A request keeps the receipt it got.
 */
export async function attachReceipt(
  context: ServiceContext,
  tx: StoreTx,
  request: ApprovalRequest,
): Promise<void> {
  const { receipts } = context;
  const resolution = request.resolution;
  if (!receipts || request.status !== 'approved' || !request.tool || !resolution) return;
  if (resolution.receipt !== undefined || resolution.fingerprint === undefined) return;
  const nowMs = context.clock.now();
  const receiptId = newId('rct');
  const claims = receiptClaimsFor(request, receiptId, nowMs, receipts.ttlMs);
  resolution.receipt = await signReceipt(receipts, tx, claims, isoTime(nowMs));
  resolution.receiptId = receiptId;
}

import type { ApprovalRequest } from '@countersign/core/protocol';
import { isoTime } from '../clock.js';
import { newId } from '../ids.js';
import { type ReceiptIssuer, signReceipt } from '../receipts/receipt-signer.js';
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
  const receiptId = newId('rct');
  resolution.receipt = await signNow(context, receipts, tx, request, receiptId);
  resolution.receiptId = receiptId;
}

/** The receipt `receiptId` of an approved request, signed at the service clock's now. */
function signNow(
  context: ServiceContext,
  receipts: ReceiptIssuer,
  tx: StoreTx,
  request: ApprovalRequest,
  receiptId: string,
): Promise<string> {
  const nowMs = context.clock.now();
  const claims = receiptClaimsFor(request, receiptId, nowMs, receipts.ttlMs);
  return signReceipt(receipts, tx, claims, isoTime(nowMs));
}

/**
 * The request with its receipt signed again now, under the same id: a receipt lasts `ttlMs` from
 * its signing, while an approval whose call has not started stays good for as long as the request
 * lives. So the receipt is re-signed where the approval is handed out again (an agent re-attaching)
 * and when the call starts (`executing`), and the tool gets one that is valid. The id stays, so a
 * tool server that consumes receipts still runs the approved call at most once. Returns `request`
 * itself when it has no receipt to renew.
 */
export async function renewReceipt(
  context: ServiceContext,
  tx: StoreTx,
  request: ApprovalRequest,
): Promise<ApprovalRequest> {
  const { receipts } = context;
  const resolution = request.resolution;
  if (!receipts || request.status !== 'approved' || !request.tool) return request;
  if (resolution?.receiptId === undefined || resolution.fingerprint === undefined) return request;
  const receipt = await signNow(context, receipts, tx, request, resolution.receiptId);
  return { ...request, resolution: { ...resolution, receipt } };
}

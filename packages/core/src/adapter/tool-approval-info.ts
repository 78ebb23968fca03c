import type { GateAllow } from '../gate/gate-types.js';

/**
 * What the adapters hand an allowed tool about its approval, so the tool (or the server behind it)
 * can demand proof: the signed `receipt` to check with `verifyReceipt`.
 */
export interface ToolApprovalInfo {
  /** The approval request, when a human (or a grant) approved; absent when the policy allowed. */
  requestId?: string;
  /** The signed decision receipt (compact JWS) of the approval. */
  receipt?: string;
  /** The receipt's id, for `POST /v1/receipts/{id}/consume`. */
  receiptId?: string;
  /** Who approved, e.g. `['user:alice']`. */
  approvedBy: string[];
  /** True when a reviewer edited the arguments (the tool gets the edited ones). */
  edited: boolean;
  /** The fingerprint of the tool name and the arguments that run. */
  fingerprint: string;
}

/** The {@link ToolApprovalInfo} of an allowed decision. */
export function toolApprovalInfo(decision: GateAllow): ToolApprovalInfo {
  return {
    ...(decision.requestId === undefined ? {} : { requestId: decision.requestId }),
    ...(decision.receipt === undefined ? {} : { receipt: decision.receipt }),
    ...(decision.receiptId === undefined ? {} : { receiptId: decision.receiptId }),
    approvedBy: decision.approvedBy ?? [],
    edited: decision.edited,
    fingerprint: decision.fingerprint,
  };
}

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

/**
 * The key under which the adapters hand a tool its {@link ToolApprovalInfo}: LangChain's tool
 * `config.countersign`, the AI SDK's execute `options.countersign`.
 */
export const APPROVAL_KEY = 'countersign';

/**
 * What Countersign handed this tool run about its approval (its signed `receipt` among it), read
 * from the tool's config or execute options; undefined when no human approved the call.
 *
 * @example
 * execute: async (input, options) => transfer(input, { receipt: approvalOf(options)?.receipt })
 */
export function approvalOf(holder: unknown): ToolApprovalInfo | undefined {
  if (typeof holder !== 'object' || holder === null) return undefined;
  const value = (holder as Record<string, unknown>)[APPROVAL_KEY];
  return typeof value === 'object' && value !== null ? (value as ToolApprovalInfo) : undefined;
}

/** `holder` (a config or options object) with the approval of `decision`, when a human approved. */
export function withApprovalOf<H extends object>(holder: H, decision: GateAllow): H {
  if (decision.requestId === undefined) return holder;
  return { ...holder, [APPROVAL_KEY]: toolApprovalInfo(decision) };
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

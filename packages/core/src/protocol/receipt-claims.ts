/** The `typ` header of every decision receipt. */
export const RECEIPT_TYPE = 'countersign-receipt+jwt';

/** The `iss` claim of every decision receipt. */
export const RECEIPT_ISSUER = 'countersign';

/** The claims of a decision receipt: what a human (or a grant) approved, and until when. */
export interface ReceiptClaims {
  /** Always {@link RECEIPT_ISSUER}. */
  iss: string;
  /** The approved request's id (`req_…`). */
  sub: string;
  /** The receipt's unique id (`rct_…`); `POST /v1/receipts/{jti}/consume` uses it once. */
  jti: string;
  /** The tool that may run. */
  tool: string;
  /** `sha256:…` of the tool name and the exact arguments that may run (after any edit). */
  fingerprint: string;
  /** Who approved, e.g. `['user:alice']`. */
  approvers: string[];
  /** The policy rule that asked for the approval, when one did. */
  rule?: string;
  /** The scoped grant that approved the call, when a grant did. */
  grant?: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
}

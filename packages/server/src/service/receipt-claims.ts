import type { ApprovalRequest } from '@countersign/core/protocol';
import { RECEIPT_ISSUER, type ReceiptClaims } from '@countersign/core/protocol';

/** The policy rule that asked for this request, as the gate sent it. */
function ruleOf(request: ApprovalRequest): string | undefined {
  const fromMetadata = request.metadata?.policyRule;
  return request.policy?.rule ?? (typeof fromMetadata === 'string' ? fromMetadata : undefined);
}

/** The grant that approved it, when a scoped grant did (set by the grant service). */
function grantOf(request: ApprovalRequest): string | undefined {
  const grant = (request.resolution as { grant?: unknown } | undefined)?.grant;
  if (typeof grant === 'string') return grant;
  const id = (grant as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The claims of the receipt for an approved tool call, issued at `nowMs`. */
export function receiptClaimsFor(
  request: ApprovalRequest,
  receiptId: string,
  nowMs: number,
  ttlMs: number,
): ReceiptClaims {
  const resolution = request.resolution;
  const iat = Math.floor(nowMs / 1000);
  const claims: ReceiptClaims = {
    iss: RECEIPT_ISSUER,
    sub: request.id,
    jti: receiptId,
    tool: request.tool?.name ?? '',
    fingerprint: resolution?.fingerprint ?? '',
    approvers: resolution?.by ?? [],
    iat,
    exp: iat + Math.max(1, Math.ceil(ttlMs / 1000)),
  };
  const rule = ruleOf(request);
  if (rule !== undefined) claims.rule = rule;
  const grant = grantOf(request);
  if (grant !== undefined) claims.grant = grant;
  return claims;
}

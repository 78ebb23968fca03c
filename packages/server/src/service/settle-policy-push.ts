import { type ApprovalRequest, isTerminalStatus } from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import type { StoreTx } from '../store/store-types.js';
import { POLICY_PUSH_METADATA } from './policy-push-metadata.js';
import type { ServiceContext } from './service-context.js';

function pushOf(request: ApprovalRequest): { name: string; version: number } | undefined {
  const value = request.metadata?.[POLICY_PUSH_METADATA] as
    | { name?: unknown; version?: unknown }
    | undefined;
  return typeof value?.name === 'string' && typeof value.version === 'number'
    ? { name: value.name, version: value.version }
    : undefined;
}

/**
 * Settles the policy version behind a review request that just finished, in the transaction
 * that finished it: approved activates the version; rejected, expired or cancelled marks it
 * rejected. Does nothing for any other request.
 */
export async function settlePolicyPush(
  context: ServiceContext,
  tx: StoreTx,
  request: ApprovalRequest,
): Promise<void> {
  if (!isTerminalStatus(request.status)) return;
  const push = pushOf(request);
  if (!push) return;
  const record = await tx.getPolicyVersion(push.name, push.version);
  if (!record || record.requestId !== request.id) return;
  const approved = request.status === 'approved';
  const state = approved ? 'approved' : 'rejected';
  if (!(await tx.setPolicyVersionState(push.name, push.version, state))) return;
  if (approved) {
    const head = await tx.getPolicyHead(push.name);
    await tx.savePolicyHead({
      name: push.name,
      activeVersion: push.version,
      shadowVersion: head?.shadowVersion ?? null,
      updatedAt: request.updatedAt,
    });
    await context.control?.changed(tx);
  }
  await appendAudit(tx, {
    at: request.updatedAt,
    type: approved ? 'policy.activated' : 'policy.rejected',
    requestId: request.id,
    actor: null,
    data: {
      name: push.name,
      version: push.version,
      status: request.status,
      by: request.resolution?.by ?? [],
    },
  });
}

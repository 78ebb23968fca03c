import { type ApprovalRequest, isTerminalStatus } from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import { isoTime } from '../clock.js';
import { POLICY_PUSH_METADATA } from './central-policies.js';
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
 * Settles the policy version behind a finished review request: approved activates it; rejected,
 * expired or cancelled marks it rejected. Idempotent, so every replica may try.
 */
export async function settlePolicyPush(
  context: ServiceContext,
  request: ApprovalRequest,
): Promise<void> {
  const push = pushOf(request);
  if (!push || !isTerminalStatus(request.status)) return;
  await context.store.transaction(async (tx) => {
    const record = await tx.getPolicyVersion(push.name, push.version);
    if (!record || record.requestId !== request.id) return;
    const approved = request.status === 'approved';
    if (
      !(await tx.setPolicyVersionState(push.name, push.version, approved ? 'approved' : 'rejected'))
    ) {
      return;
    }
    const now = isoTime(context.clock.now());
    if (approved) {
      const head = await tx.getPolicyHead(push.name);
      await tx.savePolicyHead({
        name: push.name,
        activeVersion: push.version,
        shadowVersion: head?.shadowVersion ?? null,
        updatedAt: now,
      });
      await context.control?.changed(tx);
    }
    await appendAudit(tx, {
      at: now,
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
  });
}

/**
 * Settles pushes as their review requests finish (live events), and once at start those that
 * finished while no server was running.
 */
export function followPolicyPushes(
  context: ServiceContext,
  logError: (error: unknown) => void,
): () => void {
  const settle = (request: ApprovalRequest) => settlePolicyPush(context, request).catch(logError);
  void (async () => {
    const heads = await context.store.read((tx) => tx.listPolicyHeads());
    for (const head of heads) {
      const versions = await context.store.read((tx) => tx.listPolicyVersions(head.name));
      for (const version of versions) {
        if (version.state !== 'proposed' || version.requestId === null) continue;
        const request = await context.store.read((tx) =>
          tx.getRequest(version.requestId as string),
        );
        if (request) await settle(request);
      }
    }
  })().catch(logError);
  return context.bus.subscribe('*', (event) => {
    if (isTerminalStatus(event.request.status) && pushOf(event.request)) void settle(event.request);
  });
}

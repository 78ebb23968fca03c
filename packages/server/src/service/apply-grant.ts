import {
  type ApprovalRequest,
  type Decision,
  describeGrantApproval,
  type GrantReference,
} from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import { isoTime } from '../clock.js';
import { newId } from '../ids.js';
import type { GrantRecord, StoreTx } from '../store/store-types.js';
import { grantMatches, grantsAllowedFor } from './grant-rules.js';
import { nextVersion, recordChange } from './record-change.js';
import type { ServiceContext } from './service-context.js';

/** The most live grants looked at for one create (oldest first). */
const CANDIDATE_LIMIT = 200;

/** The live grants that would approve a new request, oldest first; none when its rule forbids. */
export async function matchingGrants(
  context: ServiceContext,
  tx: StoreTx,
  request: ApprovalRequest,
): Promise<GrantRecord[]> {
  const allowed = grantsAllowedFor(request);
  if (!allowed || !request.tool) return [];
  const now = isoTime(context.clock.now());
  const live = await tx.liveGrantsFor(
    request.tool.name,
    request.requester,
    request.runId,
    now,
    CANDIDATE_LIMIT,
  );
  return live.filter((grant) => grantMatches(grant, request, allowed));
}

/**
 * A grant speaks for its granter only while the key they granted with stands: a revoked key's
 * grants approve nothing. Principals without a stored key (the offline CLI) have none to revoke.
 */
async function granterKeyRevoked(tx: StoreTx, grant: GrantRecord): Promise<boolean> {
  if (grant.granterKeyId === undefined) return false;
  const key = await tx.getApiKey(grant.granterKeyId);
  return key?.revokedAt !== undefined;
}

/** The request approved by `grant` on its granter's behalf: the exact call, never an edit. */
function approvedByGrant(request: ApprovalRequest, grant: GrantRecord, now: string) {
  const reference: GrantReference = {
    id: grant.id,
    grantedBy: grant.grantedBy,
    grantedAt: grant.createdAt,
  };
  const decision: Decision = {
    id: newId('dec'),
    outcome: 'approve',
    principal: grant.grantedBy,
    decidedAt: now,
    grant: grant.id,
    ...(request.fingerprint === undefined ? {} : { fingerprint: request.fingerprint }),
  };
  const next = nextVersion(request, now);
  next.decisions = [...request.decisions, decision];
  next.status = 'approved';
  next.resolution = {
    status: 'approved',
    at: now,
    by: [grant.grantedBy],
    args: request.tool?.args ?? {},
    fingerprint: request.fingerprint as string,
    edited: false,
    grant: reference,
  };
  return { next, decision, reference };
}

/**
 * Inside the create's transaction, after the request is stored: takes one use of the first
 * candidate that still has one (the UPDATE re-checks, so racing creates never both take the
 * last) and approves the request by it, with its `decided` event and the grant's audit entry.
 * Resolves with the approved request, or undefined when no candidate had a use left.
 */
export async function approveByGrant(
  context: ServiceContext,
  tx: StoreTx,
  request: ApprovalRequest,
  candidates: readonly GrantRecord[],
): Promise<ApprovalRequest | undefined> {
  const now = isoTime(context.clock.now());
  for (const grant of candidates) {
    if (await granterKeyRevoked(tx, grant)) continue;
    const uses = await tx.useGrant(grant.id, now);
    if (uses === undefined) continue;
    const { next, decision, reference } = approvedByGrant(request, grant, now);
    await tx.clearJobs(request.id);
    await recordChange(context, tx, {
      request: next,
      previousVersion: request.version,
      type: 'decided',
      actor: grant.grantedBy,
      data: {
        decisionId: decision.id,
        outcome: 'approve',
        grantId: grant.id,
        grantedBy: grant.grantedBy,
        grantedAt: grant.createdAt,
        summary: describeGrantApproval(reference),
        ...(decision.fingerprint ? { decisionFingerprint: decision.fingerprint } : {}),
      },
    });
    const exhausted = grant.maxUses !== undefined && uses >= grant.maxUses;
    // The expiry job would record nothing for a used-up grant: drop it now.
    if (exhausted) await tx.clearJobs(grant.id);
    await appendAudit(tx, {
      at: now,
      type: 'grant.used',
      requestId: request.id,
      actor: request.requester,
      data: {
        grantId: grant.id,
        grantedBy: grant.grantedBy,
        ...(request.fingerprint ? { fingerprint: request.fingerprint } : {}),
        uses,
        ...(grant.maxUses === undefined ? {} : { maxUses: grant.maxUses, exhausted }),
      },
    });
    return next;
  }
  return undefined;
}

import {
  type CreateGrantInput,
  createGrantBodySchema,
  type Grant,
} from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { isoTime } from '../clock.js';
import type { GrantRecord, StoreTx } from '../store/store-types.js';
import { fail } from './failures.js';
import {
  assertUsableCondition,
  canSeeGrant,
  grantStatus,
  grantView,
  grantVisibilityFor,
} from './grant-rules.js';
import { insertGrant, newGrant } from './new-grant.js';
import type { ServiceContext } from './service-context.js';

/** The most grants one list returns. */
const LIST_LIMIT_MAX = 500;

/** `POST /v1/grants`: an admin makes a grant directly. */
export async function createGrant(
  context: ServiceContext,
  principal: Principal,
  input: CreateGrantInput,
): Promise<Grant> {
  if (principal.role !== 'admin') throw fail('forbidden', 'Only admins create grants directly');
  const body = createGrantBodySchema.parse(input);
  const when = body.when ?? 'true';
  assertUsableCondition(when);
  const grant = newGrant(context, principal, {
    tool: body.tool,
    when,
    appliesTo: body.appliesTo,
    ...(body.agent === undefined ? {} : { agent: body.agent }),
    ...(body.runId === undefined ? {} : { runId: body.runId }),
    assignees: [],
    lifetime: body.lifetime,
    maxUses: body.maxUses,
  });
  await context.store.transaction((tx) => insertGrant(context, tx, grant));
  return grantView(grant, context.clock.now());
}

/** The grants the principal may see, newest first; `live` keeps only the usable ones. */
export async function listGrants(
  context: ServiceContext,
  principal: Principal,
  options: { live?: boolean; limit?: number } = {},
): Promise<Grant[]> {
  const now = context.clock.now();
  const limit = Math.min(options.limit ?? 100, LIST_LIMIT_MAX);
  const grants = await context.store.read((tx) =>
    tx.listGrants({
      visibility: grantVisibilityFor(principal),
      ...(options.live ? { liveAt: isoTime(now) } : {}),
      limit,
    }),
  );
  return grants.map((grant) => grantView(grant, now));
}

async function loadVisibleGrant(tx: StoreTx, principal: Principal, id: string) {
  const grant = await tx.getGrant(id);
  if (!grant || !canSeeGrant(principal, grant)) {
    throw fail('not_found', `No grant ${id}`, { grantId: id });
  }
  return grant;
}

/** One grant the principal may see; 404 otherwise. */
export async function getGrant(
  context: ServiceContext,
  principal: Principal,
  id: string,
): Promise<Grant> {
  const grant = await context.store.read((tx) => loadVisibleGrant(tx, principal, id));
  return grantView(grant, context.clock.now());
}

/** Revokes a grant (its granter or an admin): the next create no longer matches it. */
export async function revokeGrant(
  context: ServiceContext,
  principal: Principal,
  id: string,
  reason?: string,
): Promise<Grant> {
  return context.store.transaction(async (tx) => {
    const grant = await loadVisibleGrant(tx, principal, id);
    if (principal.role !== 'admin' && grant.grantedBy !== principal.id) {
      throw fail('forbidden', `Only ${grant.grantedBy} or an admin can revoke grant ${id}`);
    }
    const now = context.clock.now();
    const revoked: GrantRecord = {
      ...grant,
      revokedAt: isoTime(now),
      revokedBy: principal.id,
      ...(reason === undefined ? {} : { revokeReason: reason }),
    };
    if (!(await tx.revokeGrant(revoked))) {
      throw fail('conflict', `Grant ${id} is already revoked`, { grantId: id });
    }
    await tx.clearJobs(id);
    await appendAudit(tx, {
      at: revoked.revokedAt as string,
      type: 'grant.revoked',
      requestId: grant.fromRequest ?? null,
      actor: principal.id,
      data: {
        grantId: id,
        uses: grant.uses,
        statusBefore: grantStatus(grant, now),
        ...(reason === undefined ? {} : { reason }),
      },
    });
    return grantView(revoked, now);
  });
}

/** The scheduler's job at a grant's expiry: an audit entry, unless it was revoked or used up. */
export async function recordGrantExpiry(tx: StoreTx, id: string, at: string): Promise<void> {
  const grant = await tx.getGrant(id);
  if (!grant || grant.revokedAt !== undefined) return;
  if (grant.maxUses !== undefined && grant.uses >= grant.maxUses) return;
  await appendAudit(tx, {
    at,
    type: 'grant.expired',
    requestId: grant.fromRequest ?? null,
    actor: null,
    data: { grantId: id, uses: grant.uses, expiresAt: grant.expiresAt },
  });
}

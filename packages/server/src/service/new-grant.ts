import {
  type ApprovalRequest,
  exactArgsCondition,
  formatDuration,
  GRANT_CONDITION_MAX_LENGTH,
  type GrantSpec,
  parseDuration,
  standingArgs,
} from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { isoTime } from '../clock.js';
import { newId } from '../ids.js';
import type { GrantRecord, StoreTx } from '../store/store-types.js';
import { fail } from './failures.js';
import { assertUsableCondition, grantsAllowedFor } from './grant-rules.js';
import type { ServiceContext } from './service-context.js';

/** A grant's lifetime when none is given and no cap is shorter. */
const DEFAULT_GRANT_LIFETIME_MS = 3_600_000;
/** The default of the server's cap on grant lifetimes: one day. */
export const DEFAULT_MAX_GRANT_LIFETIME_MS = 24 * 3_600_000;
/** The job that records a grant's expiry in the audit log is keyed by the grant id. */
const EXPIRY_JOB = 'grant-expiry' as const;

/**
 * The longest grant the server accepts and, for a grant added while approving, the request's
 * policy rule (`allowed`, from `grantsAllowedFor`).
 */
export function grantLifetimeCapMs(
  context: Pick<ServiceContext, 'maxGrantLifetimeMs'>,
  allowed: { maxLifetimeMs?: number } = {},
): number {
  return Math.min(
    context.maxGrantLifetimeMs ?? DEFAULT_MAX_GRANT_LIFETIME_MS,
    allowed.maxLifetimeMs ?? Number.POSITIVE_INFINITY,
  );
}

/** A grant's lifetime when none is given: one hour, or the caps when shorter (every channel). */
export function defaultGrantLifetimeMs(
  context: Pick<ServiceContext, 'maxGrantLifetimeMs'>,
  allowed: { maxLifetimeMs?: number } = {},
): number {
  return Math.min(DEFAULT_GRANT_LIFETIME_MS, grantLifetimeCapMs(context, allowed));
}

function lifetimeOf(context: ServiceContext, lifetime: string | undefined): number {
  const cap = grantLifetimeCapMs(context);
  if (lifetime === undefined) return defaultGrantLifetimeMs(context);
  const ms = parseDuration(lifetime) as number;
  if (ms > cap) {
    throw fail(
      'validation_failed',
      `A grant lives at most ${formatDuration(cap)} on this server, not ${lifetime}`,
      { path: '/lifetime', maxLifetime: formatDuration(cap) },
    );
  }
  return ms;
}

/** Stores a new grant with its audit entry and the job that records its expiry. */
export async function insertGrant(context: ServiceContext, tx: StoreTx, grant: GrantRecord) {
  await tx.insertGrant(grant);
  await tx.replaceJobs(
    grant.id,
    [],
    [{ requestId: grant.id, kind: EXPIRY_JOB, dueAt: Date.parse(grant.expiresAt) }],
  );
  await appendAudit(tx, {
    at: grant.createdAt,
    type: 'grant.created',
    requestId: grant.fromRequest ?? null,
    actor: grant.grantedBy,
    data: {
      grantId: grant.id,
      tool: grant.tool,
      when: grant.when,
      appliesTo: grant.appliesTo,
      ...(grant.agent === undefined ? {} : { agent: grant.agent }),
      ...(grant.runId === undefined ? {} : { runId: grant.runId }),
      expiresAt: grant.expiresAt,
      ...(grant.maxUses === undefined ? {} : { maxUses: grant.maxUses }),
    },
  });
  tx.afterCommit(() => context.onWork?.());
}

/** A grant record made by `principal` now, with its lifetime checked against the server's cap. */
export function newGrant(
  context: ServiceContext,
  principal: Principal,
  fields: Pick<GrantRecord, 'tool' | 'when' | 'appliesTo' | 'agent' | 'runId' | 'assignees'> & {
    lifetime: string | undefined;
    maxUses: number | undefined;
    fromRequest?: string;
  },
): GrantRecord {
  const now = context.clock.now();
  const { lifetime, maxUses, ...rest } = fields;
  const grant: GrantRecord = {
    id: newId('g'),
    ...rest,
    grantedBy: principal.id,
    granterRole: principal.role,
    granterGroups: [...principal.groups],
    granterKeyId: principal.keyId,
    createdAt: isoTime(now),
    expiresAt: isoTime(now + lifetimeOf(context, lifetime)),
    uses: 0,
  };
  if (maxUses !== undefined) grant.maxUses = maxUses;
  for (const key of ['agent', 'runId', 'fromRequest'] as const) {
    if (grant[key] === undefined) delete grant[key];
  }
  return grant;
}

/**
 * The grant a reviewer adds while approving `request`, checked before the decision's transaction:
 * the rule must allow grants (and the lifetime fit its cap), the condition must be safe to run.
 * Prefilled from the request: its tool, exactly its arguments as they stand (edited, if they
 * were), the requesting agent, and one hour or the caps when shorter.
 */
export function grantFromDecision(
  context: ServiceContext,
  principal: Principal,
  request: ApprovalRequest,
  spec: GrantSpec,
): GrantRecord {
  const allowed = grantsAllowedFor(request);
  if (!request.tool || !allowed) {
    throw fail(
      'unprocessable',
      `Request ${request.id} cannot add a grant: its policy rule does not let grants approve its requests`,
      { requestId: request.id, rule: request.policy?.rule ?? null },
    );
  }
  // Exactly what the approval is bound to: after an edit, the edited arguments, not the agent's.
  const when = spec.when ?? exactArgsCondition(standingArgs(request) ?? request.tool.args);
  if (when.length > GRANT_CONDITION_MAX_LENGTH) {
    throw fail(
      'validation_failed',
      `The arguments are too long to grant exactly (${when.length} characters of condition, at most ${GRANT_CONDITION_MAX_LENGTH}): give a shorter grant.when`,
      { path: '/grant/when' },
    );
  }
  assertUsableCondition(when);
  const appliesTo = spec.appliesTo ?? 'agent';
  if (appliesTo === 'run' && request.runId === undefined) {
    throw fail('validation_failed', `Request ${request.id} has no runId: grant it to the agent`, {
      path: '/grant/appliesTo',
    });
  }
  const grant = newGrant(context, principal, {
    tool: spec.tool ?? request.tool.name,
    when,
    appliesTo,
    ...(appliesTo === 'any' ? {} : { agent: request.requester }),
    ...(appliesTo === 'run' ? { runId: request.runId } : {}),
    assignees: [...request.assignees],
    // Without a lifetime the grant fits the rule's cap too, so leaving it out never fails.
    lifetime: spec.lifetime ?? formatDuration(defaultGrantLifetimeMs(context, allowed)),
    maxUses: spec.maxUses,
    fromRequest: request.id,
  });
  const lifetime = Date.parse(grant.expiresAt) - Date.parse(grant.createdAt);
  if (allowed.maxLifetimeMs !== undefined && lifetime > allowed.maxLifetimeMs) {
    throw fail(
      'unprocessable',
      `The policy rule of request ${request.id} accepts grants of at most ${formatDuration(allowed.maxLifetimeMs)}`,
      { path: '/grant/lifetime', maxLifetime: formatDuration(allowed.maxLifetimeMs) },
    );
  }
  return grant;
}

/** Stores a grant made while approving, inside the decision's transaction. */
export function saveDecisionGrant(
  context: ServiceContext,
  tx: StoreTx,
  grant: GrantRecord,
): Promise<void> {
  return insertGrant(context, tx, grant);
}

import type { ApprovalRequest, Stop } from '@countersign/core/protocol';
import { CountersignError } from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { isoTime } from '../clock.js';
import { cancelRequest } from './change-request.js';
import { fail } from './failures.js';
import { POLICY_PUSH_METADATA } from './policy-push-metadata.js';
import type { ServiceContext } from './service-context.js';

const PAGE = 200;

/** Whether a pending request belongs to the stopped scope (policy reviews never do). */
function inScope(request: ApprovalRequest, scope: string): boolean {
  if (request.metadata?.[POLICY_PUSH_METADATA] !== undefined) return false;
  if (scope === 'all') return true;
  if (scope.startsWith('agent:')) return request.requester === scope;
  return scope === `policy:${String(request.metadata?.policyName ?? '')}`;
}

/**
 * Stops every gate of `scope` (durably: a restarted gate starts stopped) and cancels the pending
 * requests of that scope, cancelled rather than rejected: nobody decided them.
 */
export async function stopScope(
  context: ServiceContext,
  principal: Principal,
  scope: string,
  reason: string,
): Promise<{ stop: Stop; cancelled: string[] }> {
  const stop: Stop = { scope, reason, actor: principal.id, at: isoTime(context.clock.now()) };
  await context.store.transaction(async (tx) => {
    await tx.saveStop(stop);
    await appendAudit(tx, {
      at: stop.at,
      type: 'stop.started',
      requestId: null,
      actor: principal.id,
      data: { scope, reason },
    });
    await context.control?.changed(tx);
  });
  const cancelled: string[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await context.store.read((tx) =>
      tx.listRequests({
        visibility: { all: true },
        status: 'pending',
        limit: PAGE,
        ...(before === undefined ? {} : { before }),
      }),
    );
    for (const request of page.items) {
      if (!inScope(request, scope)) continue;
      try {
        await cancelRequest(context, principal, request.id, {
          reason: `An operator stopped the agent: ${reason}`,
        });
        cancelled.push(request.id);
      } catch (error) {
        // Decided or expired meanwhile: nothing left to cancel.
        if (!CountersignError.isInstance(error)) throw error;
      }
    }
    if (page.nextBefore === null) break;
    before = page.nextBefore;
  }
  return { stop, cancelled };
}

/** Lifts the stop of `scope`; 404 when there is none. */
export async function resumeScope(
  context: ServiceContext,
  principal: Principal,
  scope: string,
): Promise<void> {
  await context.store.transaction(async (tx) => {
    if (!(await tx.deleteStop(scope))) throw fail('not_found', `Nothing is stopped at ${scope}`);
    await appendAudit(tx, {
      at: isoTime(context.clock.now()),
      type: 'stop.lifted',
      requestId: null,
      actor: principal.id,
      data: { scope },
    });
    await context.control?.changed(tx);
  });
}

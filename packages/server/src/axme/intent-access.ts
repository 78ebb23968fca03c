import type { ApprovalRequest, RequestEvent } from '@countersign/core/protocol';
import { canSee, type Principal } from '../auth/principal.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import type { StoreTx } from '../store/store-types.js';
import { requestIdOrNotFound } from './axme-ids.js';
import { agentNameOf, axmeMetadataOf, isAgentIntent } from './intent-metadata.js';

/** True when `principal` is the agent an agent-addressed intent is for. */
export function isAddressee(principal: Principal, request: ApprovalRequest): boolean {
  const axme = axmeMetadataOf(request);
  return (
    principal.role === 'agent' &&
    isAgentIntent(request) &&
    axme !== undefined &&
    agentNameOf(axme.toAgent) === principal.name
  );
}

/** True when the principal may read the intent: whoever may see the request, and its addressee. */
export function canSeeIntent(principal: Principal, request: ApprovalRequest): boolean {
  return canSee(principal, request) || isAddressee(principal, request);
}

/** Loads the request behind an intent id the principal may see; 404 otherwise. */
export async function loadIntent(
  tx: StoreTx,
  principal: Principal,
  intentId: string,
): Promise<ApprovalRequest> {
  const request = await tx.getRequest(requestIdOrNotFound(intentId));
  if (!request || !canSeeIntent(principal, request)) {
    throw fail('not_found', `No intent ${intentId}`, { intentId });
  }
  return request;
}

const PAGE = 500;

/** Every stored event of one request, oldest first. */
export async function requestEvents(
  context: ServiceContext,
  requestId: string,
): Promise<RequestEvent[]> {
  const events: RequestEvent[] = [];
  for (;;) {
    const after = events.length === 0 ? 0 : Number((events.at(-1) as RequestEvent).id);
    const page = await context.store.read((tx) => tx.listEvents(after, requestId, PAGE));
    events.push(...page);
    if (page.length < PAGE) return events;
  }
}

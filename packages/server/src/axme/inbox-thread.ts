import type { ApprovalRequest, RequestEvent } from '@countersign/core/protocol';
import { assigneeIdentities, isEligibleReviewer, type Principal } from '../auth/principal.js';
import { fail } from '../service/failures.js';
import { numberEvents } from './intent-events.js';
import { axmeMetadataOf, isAgentIntent } from './intent-metadata.js';
import { intentIdOf, intentView } from './intent-view.js';

/** True when the request is a human task this principal may decide: what their inbox holds. */
export function isInInbox(principal: Principal, request: ApprovalRequest): boolean {
  return (
    !isAgentIntent(request) &&
    request.requester !== principal.id &&
    isEligibleReviewer(principal, request)
  );
}

/** Who the inbox belongs to: `owner_agent` when it names the caller (any name for an admin). */
export function inboxOwner(principal: Principal, ownerAgent: string | undefined): string {
  if (ownerAgent === undefined) return principal.id;
  const names = [principal.id, principal.name, ...assigneeIdentities(principal)];
  if (principal.role !== 'admin' && !names.includes(ownerAgent)) {
    throw fail('forbidden', `${principal.id} cannot read the inbox of ${ownerAgent}`);
  }
  return ownerAgent;
}

/** A UUID for one AXME event: the global Countersign event id and the intent seq it got. */
function eventUuid(id: string, seq: number): string {
  const value = Number(id);
  const high = Math.floor(value / 2 ** 32)
    .toString(16)
    .padStart(8, '0');
  const low = (value % 2 ** 32).toString(16).padStart(8, '0');
  return `${high}-0000-8000-8000-${low}${(seq % 65_536).toString(16).padStart(4, '0')}`;
}

/** `pending` (nobody decided yet), `active` (partly decided) or `done` (terminal). */
function threadStatus(request: ApprovalRequest): 'pending' | 'active' | 'done' {
  if (request.status !== 'pending') return 'done';
  return request.decisions.length > 0 ? 'active' : 'pending';
}

/** An AXME inbox thread for a human task: the intent, the task and its timeline. */
export function threadView(
  request: ApprovalRequest,
  owner: string,
  events: readonly RequestEvent[],
): Record<string, unknown> {
  const axme = axmeMetadataOf(request);
  const intent = intentView(request);
  return {
    thread_id: intentIdOf(request),
    intent_id: intentIdOf(request),
    status: threadStatus(request),
    owner_agent: owner,
    from_agent: request.requester,
    to_agent: axme?.toAgent ?? owner,
    created_at: request.createdAt,
    updated_at: request.updatedAt,
    title: request.action,
    intent_status: intent.status,
    human_task: intent.human_task,
    payload: request.context,
    policy_generation: request.version,
    timeline: numberEvents(events, 1).events.map((event) => ({
      event_id: eventUuid(event.countersign_event_id, event.seq),
      event_type: event.event_type,
      actor: event.actor.length >= 2 ? event.actor : `${event.actor}:`,
      at: event.at,
      details: { seq: event.seq, status: event.status, ...event.details },
    })),
  };
}

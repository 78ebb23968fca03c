import type { ApprovalRequest, RequestEvent } from '@countersign/core/protocol';
import { describePrincipal } from '../lib/request-facts';

interface Entry {
  key: string;
  at: string;
  text: string;
}

const OUTCOME_TEXT = {
  approve: 'approved',
  reject: 'rejected',
  edit: 'approved with edited arguments',
  respond: 'answered',
} as const;

/** The request's life as entries, from its own record plus the events seen live. */
export function timelineEntries(
  request: ApprovalRequest,
  events: readonly RequestEvent[],
): Entry[] {
  const entries: Entry[] = [
    {
      key: 'created',
      at: request.createdAt,
      text: `Asked by ${describePrincipal(request.requester)}`,
    },
  ];
  for (const decision of request.decisions) {
    const why = decision.reason ? `: “${decision.reason}”` : '';
    const note = decision.comment ? ` (comment: “${decision.comment}”)` : '';
    // A grant's approval is the granter's, given in advance: say so, not "alice approved".
    const text = decision.grant
      ? `Approved at once by grant ${decision.grant} of ${describePrincipal(decision.principal)}`
      : `${describePrincipal(decision.principal)} ${OUTCOME_TEXT[decision.outcome]}${why}${note}${
          decision.addedGrant ? `, adding grant ${decision.addedGrant}` : ''
        }`;
    entries.push({ key: `decision-${decision.id}`, at: decision.decidedAt, text });
  }
  // Reminders, escalations and changes are only in the event stream.
  for (const event of events) {
    if (event.type === 'reminded')
      entries.push({ key: event.id, at: event.at, text: 'Reminder sent' });
    if (event.type === 'escalated') {
      const to = event.request.assignees.join(', ') || 'more reviewers';
      entries.push({ key: event.id, at: event.at, text: `Escalated to ${to}` });
    }
    if (event.type === 'updated') {
      const by = event.actor ? ` by ${describePrincipal(event.actor)}` : '';
      entries.push({ key: event.id, at: event.at, text: `Changed${by}` });
    }
  }
  if (request.escalation?.fired && !events.some((event) => event.type === 'escalated')) {
    entries.push({ key: 'escalated', at: request.escalation.at, text: 'Escalated' });
  }
  const { resolution } = request;
  if (resolution && (resolution.status === 'expired' || resolution.status === 'cancelled')) {
    const text =
      resolution.status === 'expired'
        ? 'Expired: nobody decided in time'
        : 'Cancelled by the requester';
    entries.push({ key: 'resolution', at: resolution.at, text });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/** The event timeline of a request. */
export function Timeline(props: { request: ApprovalRequest; events: readonly RequestEvent[] }) {
  const entries = timelineEntries(props.request, props.events);
  return (
    <ol class="timeline">
      {entries.map((entry) => (
        <li key={entry.key}>
          <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time> {entry.text}
        </li>
      ))}
    </ol>
  );
}

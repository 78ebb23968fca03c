import type { ApprovalRequest, RequestEvent } from '@countersign/core/protocol';
import type { NotificationEntry } from '../api/notifications-api';
import { executionEntries } from '../lib/execution-facts';
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
const NOTIFICATION_TEXT: Record<string, string> = {
  request: 'Asked',
  reminder: 'Reminded',
  escalation: 'Told of the escalation:',
  outcome: 'Told the outcome:',
};

/** A notification as a line: who, how, and whether it got through. */
function notificationText(entry: NotificationEntry): string {
  const what = NOTIFICATION_TEXT[entry.kind] ?? 'Notified';
  const state =
    entry.status === 'delivered'
      ? 'sent'
      : entry.status === 'failed'
        ? `failed after ${entry.attempts} attempts${entry.lastError ? ` (${entry.lastError})` : ''}`
        : `not sent yet${entry.lastError ? ` (${entry.lastError}; retrying)` : ''}`;
  return `${what} ${entry.address} by ${entry.channel}: ${state}`;
}

export function timelineEntries(
  request: ApprovalRequest,
  events: readonly RequestEvent[],
  notifications: readonly NotificationEntry[] = [],
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
  entries.push(...executionEntries(request));
  const { resolution } = request;
  if (resolution && (resolution.status === 'expired' || resolution.status === 'cancelled')) {
    const text =
      resolution.status === 'expired'
        ? 'Expired: nobody decided in time'
        : 'Cancelled by the requester';
    entries.push({ key: 'resolution', at: resolution.at, text });
  }
  for (const entry of notifications) {
    entries.push({ key: entry.id, at: entry.createdAt, text: notificationText(entry) });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/** The event timeline of a request. */
export function Timeline(props: {
  request: ApprovalRequest;
  events: readonly RequestEvent[];
  notifications?: readonly NotificationEntry[];
}) {
  const entries = timelineEntries(props.request, props.events, props.notifications);
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

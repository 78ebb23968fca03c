import { useState } from 'preact/hooks';
import { useDashboard } from '../dashboard-state';
import { EMPTY_FILTER, matchesFilter, pendingInOrder } from '../lib/request-collection';
import { canDecide } from '../lib/request-facts';
import { RequestCard } from './request-card';
import { RequestFilters } from './request-filters';

/** Pending requests the reviewer may decide, updated live. */
export function InboxPage() {
  const { requests, me } = useDashboard();
  const [filter, setFilter] = useState(EMPTY_FILTER);
  const pending = pendingInOrder(requests);
  const shown = pending.filter((request) => matchesFilter(request, filter));
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Inbox</h1>
      <RequestFilters filter={filter} onChange={setFilter} requests={pending} />
      <p class="summary" role="status">
        {shown.length === 0
          ? pending.length === 0
            ? 'Nothing is waiting for you. New requests appear here as they arrive.'
            : 'No waiting request matches these filters.'
          : `${shown.length} request${shown.length === 1 ? '' : 's'} waiting`}
      </p>
      <ul class="cards" aria-label="Waiting requests">
        {shown.map((request) => (
          <RequestCard
            key={request.id}
            request={request}
            note={
              canDecide(request, me.principal)
                ? undefined
                : request.requester === me.principal
                  ? 'You asked for this one, so someone else decides it.'
                  : 'You already decided; waiting for the other approvals.'
            }
          />
        ))}
      </ul>
    </section>
  );
}

import { ApiError, type ApprovalRequest } from '@countersign/core/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchNotifications, type NotificationEntry } from '../api/notifications-api';
import { useDashboard } from '../dashboard-state';
import { canDecide, KIND_LABEL, quorumText } from '../lib/request-facts';
import { AuditChain } from './audit-chain';
import { ConflictNotice } from './conflict-notice';
import { Countdown } from './countdown';
import { DecisionPanel } from './decision-panel';
import { RequestDetails } from './request-details';
import { StatusBadge } from './status-badge';
import { Timeline } from './timeline';

function WhyNot(props: { request: ApprovalRequest; principal: string }) {
  if (props.request.requester === props.principal) {
    return <p class="notice">You asked for this request, so someone else must decide it.</p>;
  }
  return <p class="notice">You have decided. Waiting for the other approvals.</p>;
}

/** One request: what it is, who asks, the arguments, the decision controls, its history. */
export function RequestPage(props: { id: string }) {
  const { api, requests, events, me, remember } = useDashboard();
  const [error, setError] = useState('');
  const request = requests.get(props.id);
  const heading = useRef<HTMLHeadingElement>(null);
  // Remember whether it was pending when opened, to say so when someone else decides meanwhile.
  const [openedPending, setOpenedPending] = useState<boolean | undefined>();
  const [conflicted, setConflicted] = useState(false);
  const [notifications, setNotifications] = useState<NotificationEntry[]>([]);

  useEffect(() => {
    setError('');
    api
      .getRequest(props.id)
      .then((loaded) => remember(loaded))
      .catch((cause) =>
        setError(
          cause instanceof ApiError && cause.status === 404
            ? 'There is no such request, or you may not see it.'
            : 'Could not load this request.',
        ),
      );
  }, [api, props.id]);

  useEffect(() => {
    if (request && openedPending === undefined) setOpenedPending(request.status === 'pending');
  }, [request, openedPending]);

  // Reloaded at each change of the request, which is when new notifications are planned.
  useEffect(() => {
    fetchNotifications(api, props.id)
      .then(setNotifications)
      .catch(() => setNotifications([]));
  }, [api, props.id, request?.version]);

  useEffect(() => heading.current?.focus(), []);

  if (!request) {
    return (
      <section>
        <h1 ref={heading} tabIndex={-1}>
          Request
        </h1>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : (
          <p>Loading…</p>
        )}
      </section>
    );
  }

  const mine = request.decisions.some((decision) => decision.principal === me.principal);
  const decidedElsewhere = openedPending === true && request.status !== 'pending' && !mine;
  return (
    <article class="request" aria-labelledby="request-title">
      <p>
        <a href="#/">← Back to the inbox</a>
      </p>
      <h1 id="request-title" ref={heading} tabIndex={-1}>
        {request.action}
      </h1>
      <div class="facts">
        <StatusBadge status={request.status} />
        <span class="kind">{KIND_LABEL[request.kind]}</span>
        {request.status === 'pending' && request.deadline && (
          <span>
            Deadline: <Countdown deadline={request.deadline} />
          </span>
        )}
      </div>
      {conflicted ? (
        <ConflictNotice
          latest={request}
          heading={request.resolution ? 'Someone else decided first' : 'This request changed'}
        />
      ) : (
        decidedElsewhere && (
          <ConflictNotice latest={request} heading="Someone else decided while you were looking" />
        )
      )}
      {request.status === 'pending' && (
        <section class="panel" aria-labelledby="approvals-title">
          <h2 id="approvals-title">Approvals</h2>
          <p>
            <progress
              max={request.quorum}
              value={Math.min(
                request.quorum,
                request.decisions.filter((d) => d.outcome === 'approve' || d.outcome === 'edit')
                  .length,
              )}
              aria-label="Approvals so far"
            />{' '}
            {quorumText(request)} needed to go ahead
          </p>
          <p>
            Who may decide:{' '}
            {request.assignees.length > 0 ? request.assignees.join(', ') : 'any reviewer'}
          </p>
        </section>
      )}
      {request.status === 'pending' &&
        (canDecide(request, me.principal) ? (
          <DecisionPanel
            request={request}
            onConflict={() => setConflicted(true)}
            // A recorded decision supersedes an earlier "request changed": the notice is stale.
            onDecided={() => setConflicted(false)}
          />
        ) : (
          <WhyNot request={request} principal={me.principal} />
        ))}
      <RequestDetails request={request} />
      <section class="panel" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <Timeline
          request={request}
          events={events.get(request.id) ?? []}
          notifications={notifications}
        />
      </section>
      <section class="panel" aria-labelledby="audit-chain-title">
        <h2 id="audit-chain-title">Audit chain</h2>
        <AuditChain requestId={request.id} />
      </section>
    </article>
  );
}

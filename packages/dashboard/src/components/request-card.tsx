import type { ApprovalRequest } from '@countersign/core/protocol';
import { routeHash } from '../lib/hash-route';
import { describePrincipal, KIND_LABEL, quorumText, toolSummary } from '../lib/request-facts';
import { Countdown } from './countdown';
import { StatusBadge } from './status-badge';

/** One request in a list, linking to its page. */
export function RequestCard(props: { request: ApprovalRequest; note?: string | undefined }) {
  const { request } = props;
  const tool = toolSummary(request);
  return (
    <li class="card" data-request-id={request.id}>
      <a href={routeHash({ page: 'request', id: request.id })} class="card-link">
        <span class="card-title">{request.action}</span>
      </a>
      <div class="card-meta">
        <span class="kind">{KIND_LABEL[request.kind]}</span>
        <StatusBadge status={request.status} />
        {request.status === 'pending' && request.quorum > 1 && <span>{quorumText(request)}</span>}
        {request.status === 'pending' && <Countdown deadline={request.deadline} />}
      </div>
      <div class="card-meta subtle">
        <span>From {describePrincipal(request.requester)}</span>
        {tool && <code>{tool}</code>}
        {request.resolution && request.resolution.by.length > 0 && (
          <span>
            By {request.resolution.grant ? 'grant of ' : ''}
            {request.resolution.by.map(describePrincipal).join(', ')}
          </span>
        )}
      </div>
      {props.note && <p class="card-note">{props.note}</p>}
    </li>
  );
}

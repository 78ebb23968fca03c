import type { RequestStatus } from '@countersign/core/protocol';
import { STATUS_LABEL } from '../lib/request-facts';

const SYMBOL: Record<RequestStatus, string> = {
  pending: '…',
  approved: '✓',
  rejected: '✕',
  answered: '✓',
  expired: '⏱',
  cancelled: '–',
};

/** A request's status in words, with a symbol and a colour as extra cues. */
export function StatusBadge(props: { status: RequestStatus }) {
  return (
    <span class={`badge status-${props.status}`}>
      <span aria-hidden="true">{SYMBOL[props.status]} </span>
      {STATUS_LABEL[props.status]}
    </span>
  );
}

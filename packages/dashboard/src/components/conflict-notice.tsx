import type { ApprovalRequest } from '@countersign/core/protocol';
import { describePrincipal, STATUS_LABEL } from '../lib/request-facts';

/**
 * Says that another reviewer got there first and what they decided. The reviewer's own
 * decision was not recorded and is never retried over theirs.
 */
export function ConflictNotice(props: { latest: ApprovalRequest; heading: string }) {
  const { latest } = props;
  const resolution = latest.resolution;
  return (
    <div class="notice conflict" role="alert" tabIndex={-1}>
      <h2>{props.heading}</h2>
      {resolution ? (
        <p>
          This request is already <strong>{STATUS_LABEL[resolution.status].toLowerCase()}</strong>
          {resolution.by.length > 0 && <> by {resolution.by.map(describePrincipal).join(', ')}</>}{' '}
          at <time dateTime={resolution.at}>{new Date(resolution.at).toLocaleString()}</time>
          {resolution.reason && <> with the reason “{resolution.reason}”</>}. Your decision was not
          recorded.
        </p>
      ) : (
        <p>
          The request changed while you were looking at it. Your decision was not recorded: check
          the latest details below and decide again.
        </p>
      )}
    </div>
  );
}

import { type ApprovalRequest, describeGrantApproval } from '@countersign/core/protocol';
import { describePrincipal, STATUS_LABEL } from '../lib/request-facts';
import { DiffView } from './diff-view';
import { JsonTree } from './json-tree';
import { PreviewPanel } from './preview/preview-panel';

function addedGrant(request: ApprovalRequest): string | undefined {
  return request.decisions.find((decision) => decision.addedGrant)?.addedGrant;
}

function Outcome(props: { request: ApprovalRequest }) {
  const { resolution } = props.request;
  if (!resolution) return null;
  const by = resolution.by.map(describePrincipal).join(', ');
  return (
    <section class="panel" aria-labelledby="outcome-title">
      <h2 id="outcome-title">Outcome</h2>
      <p>
        <strong>{STATUS_LABEL[resolution.status]}</strong>
        {by && <> by {by}</>} at{' '}
        <time dateTime={resolution.at}>{new Date(resolution.at).toLocaleString()}</time>.
      </p>
      {resolution.grant ? (
        <p class="grant-note">No one was asked: {describeGrantApproval(resolution.grant)}.</p>
      ) : (
        props.request.status === 'approved' && (
          <p class="grant-note">Decided by a person, not a grant.</p>
        )
      )}
      {addedGrant(props.request) && (
        <p class="grant-note">
          This approval added grant <a href="#/grants">{addedGrant(props.request)}</a>.
        </p>
      )}
      {resolution.reason && <p>Reason: “{resolution.reason}”</p>}
      {resolution.comment && <p>Comment: “{resolution.comment}”</p>}
      {resolution.response !== undefined && (
        <>
          <h3>Answer</h3>
          <JsonTree value={resolution.response} label="Answer" />
        </>
      )}
    </section>
  );
}

/** What the request is: plain words, who asks, the tool call, an edit's diff, the context. */
export function RequestDetails(props: { request: ApprovalRequest }) {
  const { request } = props;
  const { tool, resolution } = request;
  const destructive = tool?.annotations?.destructiveHint === true;
  return (
    <>
      <Outcome request={request} />
      <section class="panel" aria-labelledby="what-title">
        <h2 id="what-title">What is asked</h2>
        <p class="plain">
          <strong>{describePrincipal(request.requester)}</strong>{' '}
          {tool ? (
            <>
              wants to run the tool <code>{tool.name}</code>: {request.action}
            </>
          ) : (
            <>asks: {request.action}</>
          )}
        </p>
        {request.question && <p class="question">Question: {request.question}</p>}
        {destructive && (
          <p class="notice warn">
            <strong>Warning:</strong> the tool says this action may destroy or overwrite data.
          </p>
        )}
        <dl class="facts-list">
          <dt>Requested by</dt>
          <dd>{request.requester}</dd>
          {request.runId && (
            <>
              <dt>Run</dt>
              <dd>
                <code>{request.runId}</code>
              </dd>
            </>
          )}
          <dt>Asked at</dt>
          <dd>{new Date(request.createdAt).toLocaleString()}</dd>
          <dt>Request id</dt>
          <dd>
            <code>{request.id}</code>
          </dd>
        </dl>
      </section>
      {tool && (
        <section class="panel" aria-labelledby="tool-title">
          <h2 id="tool-title">
            Tool <code>{tool.name}</code> and its arguments
          </h2>
          {request.preview ? (
            <>
              <PreviewPanel preview={request.preview} />
              <details class="raw-arguments">
                <summary>Raw arguments</summary>
                <JsonTree value={tool.args} label="Arguments" />
              </details>
            </>
          ) : (
            <JsonTree value={tool.args} label="Arguments" />
          )}
          {resolution?.edited && resolution.args && (
            <DiffView
              before={tool.args}
              after={resolution.args}
              title="Arguments as edited by the reviewer"
            />
          )}
        </section>
      )}
      {Object.keys(request.context).length > 0 && (
        <section class="panel" aria-labelledby="context-title">
          <h2 id="context-title">Context</h2>
          <JsonTree value={request.context} label="Context" />
        </section>
      )}
    </>
  );
}

import type { ApprovalRequest, GrantOptions } from '@countersign/core/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useDashboard } from '../dashboard-state';
import { COMMENT_MAX_LENGTH, commentOf } from './comment-field';
import { type GrantChoice, GrantFields } from './grant-fields';

/**
 * Approving with a comment and, for a tool call, an optional grant: the same approval as the
 * button, plus a note for the record and "allow calls like this for a while". The grant fields
 * show only once the server says the request's rule allows grants, with its choices (fail closed:
 * while they load, or if they cannot, none are offered).
 */
export function ApproveForm(props: {
  request: ApprovalRequest;
  busy: boolean;
  onSubmit: (body: { comment?: string } & GrantChoice) => void;
  onCancel: () => void;
}) {
  const [comment, setComment] = useState('');
  const { api } = useDashboard();
  const [grant, setGrant] = useState<GrantChoice>({});
  const [options, setOptions] = useState<GrantOptions>();
  const [optionsFailed, setOptionsFailed] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);
  const id = props.request.id;
  const version = props.request.version;
  const isToolCall = props.request.tool !== undefined;
  // Loaded again at each change of the request: after another reviewer's edit the choices (and
  // the grant chosen from them) would be for arguments that no longer stand. None until they load.
  useEffect(() => {
    setOptions(undefined);
    setOptionsFailed(false);
    setGrant({});
    if (!isToolCall) return;
    let current = true;
    api.grantOptions(id).then(
      (answer) => current && setOptions(answer),
      () => current && setOptionsFailed(true),
    );
    return () => {
      current = false;
    };
  }, [api, id, version, isToolCall]);

  const submit = (event: Event) => {
    event.preventDefault();
    props.onSubmit({ ...commentOf(comment), ...grant });
  };

  return (
    <form class="decision-form" onSubmit={submit} aria-label="Comment and approve" noValidate>
      {optionsFailed && (
        <p class="hint">Cannot load the grant choices: this approval adds no grant.</p>
      )}
      {options?.allowed === false && (
        <p class="hint">The policy rule of this request lets no grant approve calls like it.</p>
      )}
      {options?.allowed && (
        <GrantFields request={props.request} choices={options} onChange={setGrant} />
      )}
      <label for="approve-comment">Comment (optional)</label>
      <textarea
        id="approve-comment"
        ref={field}
        rows={3}
        value={comment}
        maxLength={COMMENT_MAX_LENGTH}
        onInput={(event) => setComment(event.currentTarget.value)}
      />
      <div class="actions">
        <button type="submit" class="primary" disabled={props.busy}>
          Approve
        </button>
        <button type="button" onClick={props.onCancel}>
          Back
        </button>
      </div>
    </form>
  );
}

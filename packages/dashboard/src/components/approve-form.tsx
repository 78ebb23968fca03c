import type { ApprovalRequest } from '@countersign/core/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { COMMENT_MAX_LENGTH, commentOf } from './comment-field';
import { type GrantChoice, GrantFields } from './grant-fields';

/**
 * Approving with a comment and, for a tool call, an optional grant: the same approval as the
 * button, plus a note for the record and "allow calls like this for a while".
 */
export function ApproveForm(props: {
  request: ApprovalRequest;
  busy: boolean;
  onSubmit: (body: { comment?: string } & GrantChoice) => void;
  onCancel: () => void;
}) {
  const [comment, setComment] = useState('');
  const [grant, setGrant] = useState<GrantChoice>({});
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);

  const submit = (event: Event) => {
    event.preventDefault();
    props.onSubmit({ ...commentOf(comment), ...grant });
  };

  return (
    <form class="decision-form" onSubmit={submit} aria-label="Comment and approve" noValidate>
      <GrantFields request={props.request} onChange={setGrant} />
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

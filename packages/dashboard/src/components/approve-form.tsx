import { useEffect, useRef, useState } from 'preact/hooks';
import { COMMENT_MAX_LENGTH, commentOf } from './comment-field';

/** Approving with a comment: the same approval as the button, plus a note for the record. */
export function ApproveForm(props: {
  busy: boolean;
  onSubmit: (body: { comment?: string }) => void;
  onCancel: () => void;
}) {
  const [comment, setComment] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);

  const submit = (event: Event) => {
    event.preventDefault();
    props.onSubmit(commentOf(comment));
  };

  return (
    <form class="decision-form" onSubmit={submit} aria-label="Comment and approve" noValidate>
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

/** How long a comment may be: the server's limit on `comment` in a decision body. */
export const COMMENT_MAX_LENGTH = 4000;

/** The comment to send, or nothing when the reviewer left the field blank. */
export function commentOf(text: string): { comment?: string } {
  const comment = text.trim();
  return comment === '' ? {} : { comment };
}

/**
 * An optional comment on a decision: the agent, the other reviewers and the audit log see it
 * next to the outcome.
 */
export function CommentField(props: {
  /** The textarea's id, unique on the page. */
  id: string;
  /** The text so far. */
  value: string;
  /** Called with the new text on every keystroke. */
  onInput: (value: string) => void;
}) {
  return (
    <div class="comment-field">
      <label for={props.id}>Comment (optional)</label>
      <textarea
        id={props.id}
        rows={2}
        value={props.value}
        maxLength={COMMENT_MAX_LENGTH}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}

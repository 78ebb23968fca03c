import { useEffect, useRef, useState } from 'preact/hooks';

/** The rejection form: a reason is required, because the agent and the audit log need it. */
export function RejectForm(props: {
  busy: boolean;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);

  const submit = (event: Event) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setError('Give a reason: the agent and the audit log will see it.');
      field.current?.focus();
      return;
    }
    props.onSubmit(reason.trim());
  };

  return (
    <form class="decision-form" onSubmit={submit} aria-label="Reject" noValidate>
      <label for="reject-reason">Reason for rejecting (required)</label>
      <textarea
        id="reject-reason"
        ref={field}
        rows={3}
        value={reason}
        maxLength={4000}
        onInput={(event) => setReason(event.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'reject-reason-error' : undefined}
        aria-required="true"
      />
      {error && (
        <p id="reject-reason-error" class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="danger" disabled={props.busy}>
          Reject
        </button>
        <button type="button" onClick={props.onCancel}>
          Back
        </button>
      </div>
    </form>
  );
}

import { useEffect, useState } from 'preact/hooks';

/**
 * A JSON textarea: the fallback for schemas the form builder does not cover. The value only
 * changes when the text parses; a parse error is shown next to the field and reported upward.
 */
export function JsonTextField(props: {
  id: string;
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  onValidity?: (valid: boolean) => void;
  describedBy?: string | undefined;
}) {
  const format = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));
  const [text, setText] = useState(() => format(props.value));
  const [error, setError] = useState('');

  // Follow outside changes (a reset), but not the echo of our own edits.
  useEffect(() => {
    try {
      if (text.trim() !== '' && JSON.stringify(JSON.parse(text)) === JSON.stringify(props.value)) {
        return;
      }
    } catch {
      // The text is mid-edit and invalid: keep it as typed.
      return;
    }
    setText(format(props.value));
  }, [props.value]);

  const update = (next: string) => {
    setText(next);
    if (next.trim() === '') {
      setError('');
      props.onValidity?.(true);
      props.onChange(undefined);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(next);
      setError('');
      props.onValidity?.(true);
      props.onChange(parsed);
    } catch {
      setError('This is not valid JSON yet.');
      props.onValidity?.(false);
    }
  };

  const errorId = `${props.id}-json-error`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        class="json-input"
        rows={Math.min(16, Math.max(4, text.split('\n').length + 1))}
        value={text}
        spellcheck={false}
        onInput={(event) => update(event.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={
          [error ? errorId : '', props.describedBy ?? ''].join(' ').trim() || undefined
        }
      />
      {error && (
        <p id={errorId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

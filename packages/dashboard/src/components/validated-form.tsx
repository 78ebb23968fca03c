import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { JsonSchema } from '../lib/json-schema';
import { validateJsonSchema } from '../lib/validate-json-schema';
import { SchemaForm } from './schema-form';

/**
 * A schema-generated form that validates before it submits: problems are listed at the top
 * (focused, so a screen reader hears them) and next to each field.
 */
export function ValidatedForm(props: {
  label: string;
  schema: JsonSchema | undefined;
  initial: unknown;
  submitText: string;
  busy: boolean;
  onSubmit: (value: unknown) => void;
  onCancel: () => void;
  /** Shown under the fields with the current value, e.g. a diff preview. */
  preview?: (value: unknown) => ComponentChildren;
  /** More fields after the preview, e.g. an optional comment; their values are the caller's. */
  extra?: ComponentChildren;
}) {
  const [value, setValue] = useState<unknown>(props.initial);
  const [invalidJson, setInvalidJson] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  const schemaIssues = props.schema ? validateJsonSchema(props.schema, value) : [];
  const issues = [
    ...[...invalidJson].map((path) => ({ path, message: 'Not valid JSON' })),
    ...schemaIssues,
  ];
  const byPath = new Map(attempted ? issues.map((issue) => [issue.path, issue.message]) : []);
  const onValidity = (path: string, valid: boolean) =>
    setInvalidJson((current) => {
      const next = new Set(current);
      if (valid) next.delete(path);
      else next.add(path);
      return next;
    });

  const submit = (event: Event) => {
    event.preventDefault();
    setAttempted(true);
    if (issues.length > 0 || value === undefined) {
      queueMicrotask(() => summary.current?.focus());
      return;
    }
    props.onSubmit(value);
  };

  return (
    <form class="decision-form" onSubmit={submit} aria-label={props.label} noValidate>
      {attempted && (issues.length > 0 || value === undefined) && (
        <div class="notice error-summary" ref={summary} tabIndex={-1} role="alert">
          <p>Fix these before submitting:</p>
          <ul>
            {value === undefined && <li>Fill in a value.</li>}
            {issues.map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                {issue.path ? <code>{issue.path}</code> : 'The value'}: {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <SchemaForm
        schema={props.schema}
        value={value}
        onChange={setValue}
        issues={byPath}
        onValidity={onValidity}
        label={props.label}
      />
      {props.preview?.(value)}
      {props.extra}
      <div class="actions">
        <button type="submit" class="primary" disabled={props.busy}>
          {props.submitText}
        </button>
        <button type="button" onClick={props.onCancel}>
          Back
        </button>
      </div>
    </form>
  );
}

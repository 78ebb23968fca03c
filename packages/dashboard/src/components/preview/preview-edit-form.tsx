import {
  type JsonObject,
  parsePreviewPath,
  type ResolvedPreview,
  withValueAtPath,
} from '@countersign/core/protocol';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { JsonSchema } from '../../lib/json-schema';
import { validateJsonSchema } from '../../lib/validate-json-schema';
import { DiffView } from '../diff-view';

const LONG_PARTS = new Set(['body', 'text', 'statement', 'before', 'after', 'patch', 'memo']);

/** A part the reviewer can change in the preview's own terms: mapped to a path of `args`, plain text or a number. */
export interface EditablePart {
  part: string;
  path: string;
  value: string | number;
}

/** The parts of a preview that map straight to one argument (expressions and context are shown, not edited). */
export function editableParts(preview: ResolvedPreview | undefined): EditablePart[] {
  if (!preview) return [];
  return Object.entries(preview.paths).flatMap(([part, path]) => {
    const value = preview.parts[part];
    const parsed = parsePreviewPath(path);
    if (parsed?.root !== 'args' || (typeof value !== 'string' && typeof value !== 'number'))
      return [];
    return [{ part, path, value }];
  });
}

function argsWith(
  args: JsonObject,
  parts: EditablePart[],
  values: Record<string, string>,
): JsonObject {
  let next = args;
  for (const { part, path, value } of parts) {
    const text = values[part];
    if (text === undefined || text === String(value)) continue;
    const segments = parsePreviewPath(path)?.segments ?? [];
    next = withValueAtPath(next, segments, typeof value === 'number' ? Number(text) : text);
  }
  return next;
}

/**
 * Editing the call where the reviewer reads it: the subject and body of an email, the amount of a
 * transfer. The changes become edited arguments, shown as a diff, and go through the same checks as
 * any edit: the tool's schema here and on the server, then the policy.
 */
export function PreviewEditForm(props: {
  preview: ResolvedPreview;
  args: JsonObject;
  schema: JsonSchema | undefined;
  busy: boolean;
  onSubmit: (args: JsonObject) => void;
  onCancel: () => void;
  extra?: ComponentChildren;
}) {
  const parts = editableParts(props.preview);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(parts.map(({ part, value }) => [part, String(value)])),
  );
  const [attempted, setAttempted] = useState(false);
  const numberProblems = parts
    .filter(
      ({ part, value }) => typeof value === 'number' && !Number.isFinite(Number(values[part])),
    )
    .map(({ part }) => `${part} must be a number`);
  const next = argsWith(props.args, parts, values);
  const schemaProblems = props.schema
    ? validateJsonSchema(props.schema, next).map(
        (issue) => `${issue.path || 'arguments'}: ${issue.message}`,
      )
    : [];
  const problems = [...numberProblems, ...schemaProblems];
  const submit = (event: Event) => {
    event.preventDefault();
    setAttempted(true);
    if (problems.length === 0) props.onSubmit(next);
  };
  return (
    <form
      class="decision-form preview-edit"
      onSubmit={submit}
      aria-label="Edit in the preview"
      noValidate
    >
      {attempted && problems.length > 0 && (
        <div class="notice error-summary" role="alert">
          <p>Fix these before submitting:</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {parts.map(({ part, value }) => {
        const id = `preview-edit-${part}`;
        const onInput = (event: { currentTarget: { value: string } }) =>
          setValues((current) => ({ ...current, [part]: event.currentTarget.value }));
        return (
          <div class="field" key={part}>
            <label for={id}>{part[0]?.toUpperCase() + part.slice(1)}</label>
            {typeof value === 'string' && LONG_PARTS.has(part) ? (
              <textarea id={id} rows={8} value={values[part]} onInput={onInput} />
            ) : typeof value === 'number' ? (
              <input id={id} type="number" step="any" value={values[part]} onInput={onInput} />
            ) : (
              <input id={id} type="text" value={values[part]} onInput={onInput} />
            )}
          </div>
        );
      })}
      <DiffView before={props.args} after={next} title="Your changes to the arguments" />
      {props.extra}
      <div class="actions">
        <button type="submit" class="primary" disabled={props.busy}>
          Approve with these changes
        </button>
        <button type="button" onClick={props.onCancel}>
          Back
        </button>
      </div>
    </form>
  );
}

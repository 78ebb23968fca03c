import { type JsonSchema, schemaType } from '../lib/json-schema';
import { JsonTextField } from './json-text-field';
import { ArrayField, ObjectField } from './schema-containers';

/** Props every generated field takes. */
export interface FieldProps {
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  /** Dotted path of this field, used for ids and to find its validation issue. */
  path: string;
  label: string;
  required: boolean;
  /** Validation messages by path. */
  issues: ReadonlyMap<string, string>;
  /** Reports when a JSON fallback holds text that does not parse. */
  onValidity: (path: string, valid: boolean) => void;
}

/** A DOM id for a field path. */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]/g, '_') || 'root'}`;
}

function Hint(props: { id: string; schema: JsonSchema; issue: string | undefined }) {
  return (
    <>
      {props.schema.description && (
        <p id={`${props.id}-hint`} class="hint">
          {props.schema.description}
        </p>
      )}
      {props.issue && (
        <p id={`${props.id}-issue`} class="field-error">
          {props.issue}
        </p>
      )}
    </>
  );
}

function TextInput(props: {
  common: { id: string; 'aria-describedby': string | undefined; 'aria-invalid': true | undefined };
  kind: 'number' | 'integer' | 'email' | 'text';
  value: string;
  onInput: (text: string) => void;
}) {
  const { common, kind, value } = props;
  const onInput = (event: { currentTarget: HTMLInputElement }) =>
    props.onInput(event.currentTarget.value);
  if (kind === 'number' || kind === 'integer') {
    const step = kind === 'integer' ? 1 : 'any';
    return <input {...common} type="number" step={step} value={value} onInput={onInput} />;
  }
  if (kind === 'email') return <input {...common} type="email" value={value} onInput={onInput} />;
  return <input {...common} type="text" value={value} onInput={onInput} />;
}

/** One form field generated from a JSON Schema node; unknown shapes fall back to JSON text. */
export function SchemaField(props: FieldProps) {
  const { schema, value, onChange, path } = props;
  const id = fieldId(path);
  const issue = props.issues.get(path);
  const label = `${schema.title ?? props.label}${props.required ? ' (required)' : ''}`;
  const describedBy =
    [schema.description ? `${id}-hint` : '', issue ? `${id}-issue` : ''].join(' ').trim() ||
    undefined;
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': issue ? (true as const) : undefined,
  };
  const type = schemaType(schema);

  if (schema.enum && schema.enum.length > 0) {
    const options = schema.enum;
    const index = options.findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <select
          {...common}
          value={index === -1 ? '' : String(index)}
          onChange={(event) => {
            const chosen = event.currentTarget.value;
            onChange(chosen === '' ? undefined : options[Number(chosen)]);
          }}
        >
          <option value="">Choose…</option>
          {options.map((option, position) => (
            <option key={JSON.stringify(option)} value={String(position)}>
              {typeof option === 'string' ? option : JSON.stringify(option)}
            </option>
          ))}
        </select>
        <Hint id={id} schema={schema} issue={issue} />
      </div>
    );
  }
  if (type === 'boolean') {
    return (
      <div class="field checkbox">
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        <label for={id}>{label}</label>
        <Hint id={id} schema={schema} issue={issue} />
      </div>
    );
  }
  if (type === 'string' || type === 'number' || type === 'integer') {
    const numeric = type !== 'string';
    const long = !numeric && ((schema.maxLength ?? 0) > 200 || String(value ?? '').includes('\n'));
    const update = (text: string) => {
      if (text === '') onChange(undefined);
      else if (!numeric) onChange(text);
      else onChange(Number.isNaN(Number(text)) ? text : Number(text));
    };
    const shown = value === undefined || value === null ? '' : String(value);
    return (
      <div class="field">
        <label for={id}>{label}</label>
        {long ? (
          <textarea
            {...common}
            rows={4}
            value={shown}
            onInput={(e) => update(e.currentTarget.value)}
          />
        ) : (
          <TextInput
            common={common}
            kind={numeric ? type : schema.format === 'email' ? 'email' : 'text'}
            value={shown}
            onInput={update}
          />
        )}
        <Hint id={id} schema={schema} issue={issue} />
      </div>
    );
  }
  if (type === 'object' && schema.properties) return <ObjectField {...props} label={label} />;
  if (type === 'array' && schema.items) return <ArrayField {...props} label={label} />;
  return (
    <>
      <JsonTextField
        id={id}
        label={`${label} (JSON)`}
        value={value}
        onChange={onChange}
        onValidity={(valid) => props.onValidity(path, valid)}
        describedBy={describedBy}
      />
      <Hint id={id} schema={schema} issue={issue} />
    </>
  );
}

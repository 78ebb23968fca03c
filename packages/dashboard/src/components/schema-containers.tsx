import { type FieldProps, fieldId, SchemaField } from './schema-field';

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** A fieldset with one generated field per property. */
export function ObjectField(props: FieldProps) {
  const record =
    typeof props.value === 'object' && props.value !== null && !Array.isArray(props.value)
      ? (props.value as Record<string, unknown>)
      : {};
  const required = new Set(props.schema.required ?? []);
  const issue = props.issues.get(props.path);
  const setKey = (key: string, next: unknown) => {
    const copy = { ...record };
    if (next === undefined) delete copy[key];
    else copy[key] = next;
    props.onChange(copy);
  };
  const body = Object.entries(props.schema.properties ?? {}).map(([key, schema]) => (
    <SchemaField
      key={key}
      schema={schema}
      value={record[key]}
      onChange={(next) => setKey(key, next)}
      path={child(props.path, key)}
      label={key}
      required={required.has(key)}
      issues={props.issues}
      onValidity={props.onValidity}
    />
  ));
  // The root object is the form itself: no extra frame around it.
  if (props.path === '') return <>{body}</>;
  return (
    <fieldset class="group" id={fieldId(props.path)}>
      <legend>{props.label}</legend>
      {issue && <p class="field-error">{issue}</p>}
      {body}
    </fieldset>
  );
}

/** A list of generated fields with add and remove buttons. */
export function ArrayField(props: FieldProps) {
  const items = Array.isArray(props.value) ? props.value : [];
  const itemSchema = props.schema.items ?? {};
  const issue = props.issues.get(props.path);
  const replace = (index: number, next: unknown) =>
    props.onChange(items.map((item, position) => (position === index ? next : item)));
  const remove = (index: number) =>
    props.onChange(items.filter((_, position) => position !== index));
  return (
    <fieldset class="group" id={fieldId(props.path)}>
      <legend>{props.label}</legend>
      {issue && <p class="field-error">{issue}</p>}
      {items.map((item, index) => (
        <div class="array-item" key={index}>
          <SchemaField
            schema={itemSchema}
            value={item}
            onChange={(next) => replace(index, next)}
            path={child(props.path, index)}
            label={`Item ${index + 1}`}
            required={false}
            issues={props.issues}
            onValidity={props.onValidity}
          />
          <button type="button" class="small" onClick={() => remove(index)}>
            Remove item {index + 1}
          </button>
        </div>
      ))}
      <button type="button" class="small" onClick={() => props.onChange([...items, undefined])}>
        Add an item to {props.label}
      </button>
    </fieldset>
  );
}

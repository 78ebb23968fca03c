import { type JsonSchema, schemaType } from '../lib/json-schema';
import { JsonTextField } from './json-text-field';
import { fieldId, SchemaField } from './schema-field';

/**
 * A form generated from a JSON Schema. Object schemas with properties get one field each;
 * anything else is edited as JSON text. `issues` are validation messages by path.
 */
export function SchemaForm(props: {
  schema: JsonSchema | undefined;
  value: unknown;
  onChange: (value: unknown) => void;
  issues: ReadonlyMap<string, string>;
  onValidity: (path: string, valid: boolean) => void;
  /** Label of the whole value when it is edited as JSON. */
  label: string;
}) {
  const { schema } = props;
  if (!schema || (schemaType(schema) === 'object' && !schema.properties)) {
    return (
      <JsonTextField
        id={fieldId('')}
        label={`${props.label} (JSON)`}
        value={props.value}
        onChange={props.onChange}
        onValidity={(valid) => props.onValidity('', valid)}
      />
    );
  }
  return (
    <SchemaField
      schema={schema}
      value={props.value}
      onChange={props.onChange}
      path=""
      label={props.label}
      required={false}
      issues={props.issues}
      onValidity={props.onValidity}
    />
  );
}

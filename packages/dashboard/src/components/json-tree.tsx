function Scalar(props: { value: unknown }) {
  const { value } = props;
  if (typeof value === 'string') return <span class="json-string">"{value}"</span>;
  if (value === null) return <span class="json-null">null</span>;
  return <span class={`json-${typeof value}`}>{String(value)}</span>;
}

function Node(props: { value: unknown; depth: number }) {
  const { value, depth } = props;
  const isArray = Array.isArray(value);
  if (typeof value !== 'object' || value === null) return <Scalar value={value} />;
  const entries = isArray
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0)
    return <span class="json-empty">{isArray ? '[] (empty list)' : '{} (empty)'}</span>;
  const list = (
    <ul class="json-tree">
      {entries.map(([key, item]) => (
        <li key={key}>
          <span class="json-key">{isArray ? `${Number(key) + 1}.` : `${key}:`}</span>{' '}
          <Node value={item} depth={depth + 1} />
        </li>
      ))}
    </ul>
  );
  if (depth === 0) return list;
  const summary = isArray ? `list of ${entries.length}` : `${entries.length} fields`;
  return (
    <details open={depth < 3}>
      <summary>{summary}</summary>
      {list}
    </details>
  );
}

/** A JSON value as a readable, collapsible tree. */
export function JsonTree(props: { value: unknown; label: string }) {
  return (
    <div class="json-view" title={props.label}>
      <Node value={props.value} depth={0} />
    </div>
  );
}

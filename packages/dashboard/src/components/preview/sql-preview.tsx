import { partText, type ResolvedPreview, sqlWarnings } from '@countersign/core/protocol';
import type { ComponentChild } from 'preact';

const TOKEN =
  /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:''|[^'])*'|"(?:""|[^"])*")|\b(\d+(?:\.\d+)?)\b|\b(select|insert|into|update|delete|from|where|set|values|and|or|not|null|join|left|right|inner|outer|on|group|by|order|limit|offset|having|returning|create|drop|alter|table|index|truncate|grant|revoke|begin|commit|rollback|with|as|in|is|like|case|when|then|else|end|distinct|union|all|cascade)\b/gi;
const CLASSES = ['sql-comment', 'sql-string', 'sql-number', 'sql-keyword'];

/** SQL with its keywords, strings and comments told apart (as text: nothing is interpreted). */
export function highlightSql(statement: string) {
  const pieces: ComponentChild[] = [];
  let last = 0;
  for (const match of statement.matchAll(TOKEN)) {
    const index = match.index ?? 0;
    if (index > last) pieces.push(statement.slice(last, index));
    const group = match.slice(1).findIndex((value) => value !== undefined);
    pieces.push(<span class={CLASSES[group]}>{match[0]}</span>);
    last = index + match[0].length;
  }
  pieces.push(statement.slice(last));
  return pieces;
}

/** A statement as it will run, with a warning for changes to every row and for data removed. */
export function SqlPreview(props: { preview: ResolvedPreview }) {
  const { parts } = props.preview;
  const statement = partText(parts.statement);
  const warnings = sqlWarnings(statement);
  return (
    <div class="preview-sql">
      {parts.database !== undefined && (
        <p>
          Database: <code data-part="database">{partText(parts.database)}</code>
        </p>
      )}
      {warnings.map((warning) => (
        <p key={warning} class="notice warn sql-warning" role="alert">
          <strong>Warning:</strong> {warning}.
        </p>
      ))}
      <pre class="sql" data-part="statement">
        {highlightSql(statement.slice(0, 100_000))}
      </pre>
    </div>
  );
}

import { linesText, type ResolvedPreview } from '@countersign/core/protocol';
import { JsonTree } from '../json-tree';
import { DiffPreview } from './diff-preview';
import { EmailPreview } from './email-preview';
import { HttpPreview } from './http-preview';
import { MoneyPreview } from './money-preview';
import { markdownHtml, SandboxedHtml } from './sandboxed-html';
import { SqlPreview } from './sql-preview';
import { TablePreview } from './table-preview';

export const PREVIEW_LABEL = {
  email: 'Email',
  diff: 'File change',
  sql: 'SQL statement',
  http: 'HTTP request',
  money: 'Payment',
  markdown: 'Document',
  table: 'Table',
  json: 'Data',
} as const;

function Body(props: { preview: ResolvedPreview }) {
  const { preview } = props;
  switch (preview.kind) {
    case 'email':
      return <EmailPreview preview={preview} />;
    case 'diff':
      return <DiffPreview preview={preview} />;
    case 'sql':
      return <SqlPreview preview={preview} />;
    case 'http':
      return <HttpPreview preview={preview} />;
    case 'money':
      return <MoneyPreview preview={preview} />;
    case 'markdown':
      return (
        <SandboxedHtml title="The document" html={markdownHtml(linesText(preview.parts.text))} />
      );
    case 'table':
      return <TablePreview preview={preview} />;
    case 'json':
      return <JsonTree value={preview.parts.value} label="Data" />;
  }
}

/** The call rendered as its effect: what the reviewer judges, before the raw arguments. */
export function PreviewPanel(props: { preview: ResolvedPreview }) {
  const { preview } = props;
  const errors = Object.entries(preview.errors ?? {});
  return (
    <div class={`preview preview-kind-${preview.kind}`} data-preview={preview.kind}>
      <h3 class="preview-title">{preview.title ?? PREVIEW_LABEL[preview.kind]}</h3>
      <Body preview={preview} />
      {errors.length > 0 && (
        <ul class="notice preview-errors">
          {errors.map(([part, why]) => (
            <li key={part}>
              The part <code>{part}</code> could not be shown: {why}. Check the raw arguments.
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import { linesText, partText, type ResolvedPreview } from '@countersign/core/protocol';
import { markdownHtml, SandboxedHtml, sanitizeHtml } from './sandboxed-html';

const HEADERS = [
  ['from', 'From'],
  ['to', 'To'],
  ['cc', 'Cc'],
  ['bcc', 'Bcc'],
  ['subject', 'Subject'],
] as const;

/** An email as it will be sent: its headers, then its body as text, markdown or sanitized HTML. */
export function EmailPreview(props: { preview: ResolvedPreview }) {
  const { parts, format = 'text' } = props.preview;
  const body = linesText(parts.body);
  return (
    <div class="preview-email">
      <dl class="preview-headers">
        {HEADERS.filter(([part]) => parts[part] !== undefined).map(([part, label]) => (
          <div key={part} data-part={part}>
            <dt>{label}</dt>
            <dd>{partText(parts[part])}</dd>
          </div>
        ))}
      </dl>
      {parts.body !== undefined &&
        (format === 'text' ? (
          <pre class="preview-text" data-part="body">
            {body}
          </pre>
        ) : (
          <SandboxedHtml
            title="The email body"
            html={format === 'html' ? sanitizeHtml(body) : markdownHtml(body)}
          />
        ))}
    </div>
  );
}

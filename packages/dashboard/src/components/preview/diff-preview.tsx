import { lineDiff, linesText, partText, type ResolvedPreview } from '@countersign/core/protocol';

const MAX_LINES = 2000;
const MARK = { same: ' ', removed: '−', added: '+' } as const;

function patchLines(patch: string) {
  return patch.split(/\r?\n/).map((text) => ({
    type:
      text.startsWith('+') && !text.startsWith('+++')
        ? 'added'
        : text.startsWith('-') && !text.startsWith('---')
          ? 'removed'
          : 'same',
    text,
  })) as ReturnType<typeof lineDiff>;
}

/** A file change: a given unified diff, or the lines that differ between before and after. */
export function DiffPreview(props: { preview: ResolvedPreview }) {
  const { parts } = props.preview;
  const lines =
    parts.patch !== undefined
      ? patchLines(linesText(parts.patch))
      : lineDiff(linesText(parts.before), linesText(parts.after));
  const added = lines.filter((line) => line.type === 'added').length;
  const removed = lines.filter((line) => line.type === 'removed').length;
  return (
    <div class="preview-diff">
      <p class="preview-file">
        {parts.path !== undefined && <code data-part="path">{partText(parts.path)}</code>}{' '}
        <span class="diff-count">
          <ins>+{added}</ins> <del>−{removed}</del>
        </span>
      </p>
      <pre class="diff-lines">
        {lines.slice(0, MAX_LINES).map((line, index) => (
          <div key={index} class={`diff-line diff-line-${line.type}`} data-change={line.type}>
            <span class="diff-mark" aria-hidden="true">
              {parts.patch === undefined ? MARK[line.type] : ''}
            </span>
            {line.text}
          </div>
        ))}
      </pre>
      {lines.length > MAX_LINES && (
        <p class="hint">{lines.length - MAX_LINES} more lines in the raw arguments.</p>
      )}
    </div>
  );
}

import { lineDiff } from './line-diff.js';
import type { ResolvedPreview } from './preview.js';
import { amountInWords, maskedHeaders, sqlWarnings } from './preview-facts.js';

/** A part as text: strings as they are, lists of strings joined, anything else as JSON. */
export function partText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.join(', ');
  }
  return JSON.stringify(value, null, 2);
}

/** Text of a part that may be a list of lines (an edit's old and new texts). */
export function linesText(value: unknown): string {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.join('\n');
  }
  return partText(value);
}

/** HTML reduced to readable text, for a terminal or a plain-text email: no markup survives. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|tr)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The lines of a diff preview: a given unified patch, or one computed from before and after. */
export function diffText(parts: Record<string, unknown>): string {
  if (parts.patch !== undefined) return linesText(parts.patch);
  const lines = lineDiff(linesText(parts.before), linesText(parts.after));
  const prefix = { same: ' ', removed: '-', added: '+' } as const;
  return lines.map((line) => `${prefix[line.type]} ${line.text}`).join('\n');
}

function labelled(rows: [string, unknown][]): string[] {
  return rows
    .filter(([, value]) => partText(value) !== '')
    .map(([label, value]) => `${label}: ${partText(value)}`);
}

function tableText(parts: Record<string, unknown>): string[] {
  const rows = Array.isArray(parts.rows) ? parts.rows.slice(0, 50) : [];
  const columns = Array.isArray(parts.columns)
    ? parts.columns.map(String)
    : [...new Set(rows.flatMap((row) => (row && typeof row === 'object' ? Object.keys(row) : [])))];
  const cell = (row: unknown, column: string) =>
    row && typeof row === 'object'
      ? partText((row as Record<string, unknown>)[column])
      : partText(row);
  const lines = [
    columns.join(' | '),
    ...rows.map((row) => columns.map((column) => cell(row, column)).join(' | ')),
  ];
  const total = Array.isArray(parts.rows) ? parts.rows.length : 0;
  if (total > rows.length) lines.push(`… and ${total - rows.length} more rows`);
  return lines;
}

function bodyLines(preview: ResolvedPreview): string[] {
  const { parts } = preview;
  switch (preview.kind) {
    case 'email': {
      const body = linesText(parts.body);
      return [
        ...labelled([
          ['From', parts.from],
          ['To', parts.to],
          ['Cc', parts.cc],
          ['Bcc', parts.bcc],
          ['Subject', parts.subject],
        ]),
        '',
        preview.format === 'html' ? htmlToText(body) : body,
      ];
    }
    case 'diff':
      return [...labelled([['File', parts.path]]), diffText(parts)];
    case 'sql':
      return [
        ...labelled([['Database', parts.database]]),
        linesText(parts.statement),
        ...sqlWarnings(parts.statement).map((warning) => `WARNING: ${warning}`),
      ];
    case 'http':
      return [
        `${partText(parts.method) || 'GET'} ${partText(parts.url)}`,
        ...maskedHeaders(parts.headers).map(([name, value]) => `${name}: ${value}`),
        ...(parts.body === undefined ? [] : ['', partText(parts.body)]),
      ];
    case 'money': {
      const words = amountInWords(parts.amount, parts.currency);
      return [
        `Amount: ${partText(parts.amount)} ${partText(parts.currency)}`.trim(),
        ...(words ? [`In words: ${words}`] : []),
        ...labelled([
          ['From', parts.from],
          ['To', parts.to],
          ['Memo', parts.memo],
        ]),
      ];
    }
    case 'markdown':
      return [linesText(parts.text)];
    case 'table':
      return tableText(parts);
    case 'json':
      return [JSON.stringify(parts.value, null, 2) ?? ''];
  }
}

/**
 * A preview as plain text: for the CLI's `show`, a plain-text email and a chat message. Cut at
 * `maxLength` characters with an ellipsis, so a compact rendering stays compact.
 */
export function renderPreviewText(preview: ResolvedPreview, maxLength = 20_000): string {
  const lines = [...(preview.title ? [preview.title, ''] : []), ...bodyLines(preview)];
  for (const [part, why] of Object.entries(preview.errors ?? {})) {
    lines.push(`(the part "${part}" could not be shown: ${why})`);
  }
  const text = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

import { type OptionLeaf, optionLeaves } from './option-tree.js';
import { SERVER_OPTIONS } from './server-options.js';

/** The line before the generated table in the server README. */
export const TABLE_START =
  '<!-- options-table:start: generated from src/config/server-options.ts by `pnpm --filter @countersign/server options-table`; do not edit -->';
/** The line after it. */
export const TABLE_END = '<!-- options-table:end -->';

const HEADER = ['option (file, `startServer`)', 'flag', 'variable', 'type', 'default', 'what'];

function code(text: string | undefined): string {
  return text === undefined ? '' : `\`${text}\``;
}

function defaultOf({ option }: OptionLeaf): string {
  if (option.default === undefined) return option.defaultText ?? 'unset';
  const shown = option.type.show(option.default);
  return code(typeof shown === 'string' ? shown : JSON.stringify(shown));
}

function row(leaf: OptionLeaf): string[] {
  const { option } = leaf;
  return [
    code(leaf.key),
    code(option.flag === undefined ? undefined : `--${option.flag}`),
    code(option.env),
    option.secret ? `${option.type.label} (secret)` : option.type.label,
    defaultOf(leaf),
    option.description,
  ];
}

/** The README's options table: one row per option of `countersign serve`, columns aligned. */
export function optionsTable(): string {
  const rows = [HEADER, ...optionLeaves(SERVER_OPTIONS).map(row)];
  const widths = HEADER.map((_, column) =>
    Math.max(3, ...rows.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header ?? []), rule, ...body.map(line)].join('\n');
}

/**
 * `readme` with the text between {@link TABLE_START} and {@link TABLE_END} replaced by the
 * current {@link optionsTable}; throws when the markers are missing.
 */
export function withOptionsTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`The README has no options table markers (${TABLE_START} … ${TABLE_END})`);
  }
  const before = readme.slice(0, start + TABLE_START.length);
  return `${before}\n\n${optionsTable()}\n\n${readme.slice(end)}`;
}

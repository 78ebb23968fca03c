import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { optionLeaves } from './option-tree.js';
import { optionsTable, TABLE_END, TABLE_START, withOptionsTable } from './options-markdown.js';
import { SERVER_OPTIONS } from './server-options.js';

describe('the README options table', () => {
  it('is the one generated from the options (run `pnpm --filter @countersign/server options-table`)', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(TABLE_START);
    expect(withOptionsTable(readme)).toBe(readme);
  });

  it('has a row per option with its flag and variable, and refuses a README without markers', () => {
    const table = optionsTable();
    for (const { key, option } of optionLeaves(SERVER_OPTIONS)) {
      const line = table.split('\n').find((candidate) => candidate.startsWith(`| \`${key}\` `));
      expect(line, key).toBeDefined();
      if (option.flag) expect(line).toContain(`\`--${option.flag}\``);
      if (option.env) expect(line).toContain(`\`${option.env}\``);
    }
    expect(table).toMatch(
      /\| `scheduler\.idempotencyRetentionMs` +\| `--idempotency-retention` +\|/,
    );
    expect(table).toContain('postgres:// URL (secret)');
    expect(withOptionsTable(`a\n${TABLE_START}\nold\n${TABLE_END}\nb`)).toBe(
      `a\n${TABLE_START}\n\n${table}\n\n${TABLE_END}\nb`,
    );
    expect(() => withOptionsTable('no markers')).toThrow(/no options table markers/);
  });
});

import { Document, isCollection, isNode } from 'yaml';
import { optionLeaves, setValueAt, valueAt } from './option-tree.js';
import type { ResolvedServerConfig } from './resolve-server-config.js';
import { SERVER_OPTIONS } from './server-options.js';

const LEAVES = optionLeaves(SERVER_OPTIONS);

/**
 * The configuration as a config file would spell it (durations as `7d`), with every secret
 * masked, so it is safe to paste into an issue.
 */
export function shownConfig({ config }: ResolvedServerConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const { path, option } of LEAVES) {
    const value = valueAt(config, path);
    if (value === undefined) continue;
    const display = option.secret
      ? (option.type.mask?.(value) ?? '***')
      : option.type.show(value as never);
    setValueAt(shown, path, display);
  }
  return shown;
}

/**
 * `countersign serve --print-config`: YAML with each value's source as a comment (`# --port`,
 * `# COUNTERSIGN_DATABASE_URL`, `# countersign.server.yaml`, `# default`), or with `json`, the
 * masked configuration as JSON. Unset options without a default are left out.
 */
export function printConfig(resolved: ResolvedServerConfig, format: 'yaml' | 'json'): string {
  const shown = shownConfig(resolved);
  if (format === 'json') return `${JSON.stringify(shown, null, 2)}\n`;
  const document = new Document(shown);
  document.commentBefore =
    ' Effective configuration of countersign serve (secrets masked); each value is followed by its source.';
  for (const { path, key } of LEAVES) {
    const node = document.getIn(path, true);
    if (!isNode(node)) continue;
    if (isCollection(node)) node.flow = true;
    node.comment = ` ${resolved.sources[key]}`;
  }
  return document.toString();
}

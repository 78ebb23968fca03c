import type { z } from 'zod';
import { type OptionLeaf, optionLeaves, setValueAt, treeSchema, valueAt } from './option-tree.js';
import { type ConfigIssue, ServerConfigError, sentence } from './server-config-error.js';
import { SERVER_CONFIG_RULES, SERVER_OPTIONS, type ServerConfig } from './server-options.js';

const LEAVES = optionLeaves(SERVER_OPTIONS);
const FILE_SCHEMA = treeSchema(SERVER_OPTIONS, false);

/** Where each value came from: option key → `--port`, `COUNTERSIGN_PORT`, a file name, `default`. */
export type ConfigSources = Record<string, string>;

/** A configuration and the source of each of its values. */
export interface ResolvedServerConfig {
  config: ServerConfig;
  sources: ConfigSources;
}

/** The raw inputs, highest precedence first: flags, then variables, then the file. */
export interface ConfigInputs {
  /** Parsed `serve` flags by name without dashes (text values). */
  flags?: Readonly<Record<string, unknown>>;
  /** The environment (`COUNTERSIGN_*`); an empty or blank variable counts as unset. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The config file's name (for messages) and contents. */
  file?: { name: string; content: unknown };
  /** Options given in code (`startServer`); messages name them by key. */
  code?: unknown;
}

/** One source's checked values by option key, each with its source as messages name it. */
type Layer = Map<string, { value: unknown; source: string }>;

function parseValue(
  leaf: OptionLeaf,
  raw: unknown,
  label: string,
  source: string,
  issues: ConfigIssue[],
): unknown {
  const result = (leaf.option.type.schema as z.ZodType).safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    issues.push({ option: leaf.key, source, message: sentence(label, issue.message) });
  }
  return undefined;
}

/** The sources that hold text: flags (`--name`) and variables (`NAME`, blank counts as unset). */
const TEXT_SOURCES = {
  flags: { nameOf: (leaf: OptionLeaf) => leaf.option.flag, label: (name: string) => `--${name}` },
  env: { nameOf: (leaf: OptionLeaf) => leaf.option.env, label: (name: string) => name },
};

function textLayer(
  kind: keyof typeof TEXT_SOURCES,
  texts: Readonly<Record<string, unknown>>,
  issues: ConfigIssue[],
): Layer {
  const { nameOf, label } = TEXT_SOURCES[kind];
  const layer: Layer = new Map();
  for (const leaf of LEAVES) {
    const name = nameOf(leaf);
    const text = name === undefined ? undefined : texts[name];
    if (typeof text !== 'string' || (kind === 'env' && text.trim() === '')) continue;
    const source = label(name as string);
    const value = parseValue(leaf, leaf.option.type.fromText(text), source, source, issues);
    if (value !== undefined) layer.set(leaf.key, { value, source });
  }
  return layer;
}

function fileLayer(name: string, content: unknown, issues: ConfigIssue[]): Layer {
  const layer: Layer = new Map();
  const result = FILE_SCHEMA.safeParse(content);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const at = issue.path.map(String);
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      for (const extra of keys) {
        const key = [...at, ...(extra === undefined ? [] : [extra])].join('.');
        const message =
          extra !== undefined
            ? `${name}: unknown option "${key}"`
            : issue.code === 'invalid_type'
              ? `${name}: ${key} must be a mapping of options`
              : sentence(`${name}: ${key}`, issue.message);
        issues.push({ option: key, source: name, message });
      }
    }
    return layer;
  }
  for (const leaf of LEAVES) {
    const value = valueAt(result.data, leaf.path);
    if (value !== undefined) layer.set(leaf.key, { value, source: name });
  }
  return layer;
}

function codeLayer(options: unknown, issues: ConfigIssue[]): Layer {
  const layer: Layer = new Map();
  for (const leaf of LEAVES) {
    const raw = valueAt(options, leaf.path);
    if (raw === undefined) continue;
    const value = parseValue(leaf, raw, leaf.key, 'startServer', issues);
    if (value !== undefined) layer.set(leaf.key, { value, source: 'startServer' });
  }
  return layer;
}

/**
 * Checks and merges the sources: a flag wins over its variable, the variable over the config file,
 * the file over the default. Every source is checked, even where a higher one overrides it, and
 * every problem is reported at once in a {@link ServerConfigError}.
 */
export function resolveServerConfig(inputs: ConfigInputs): ResolvedServerConfig {
  const issues: ConfigIssue[] = [];
  const { flags, env, file, code } = inputs;
  const layers: Layer[] = [];
  if (flags) layers.push(textLayer('flags', flags, issues));
  if (env) layers.push(textLayer('env', env, issues));
  if (file) layers.push(fileLayer(file.name, file.content, issues));
  if (code !== undefined) layers.push(codeLayer(code, issues));

  const config: Record<string, unknown> = {};
  const sources: ConfigSources = {};
  for (const leaf of LEAVES) {
    const found = layers.find((layer) => layer.has(leaf.key))?.get(leaf.key);
    const value = found ? found.value : leaf.option.default;
    if (value === undefined) continue;
    setValueAt(config, leaf.path, value);
    sources[leaf.key] = found ? found.source : 'default';
  }
  for (const leaf of LEAVES.filter((candidate) => candidate.path.length > 1)) {
    const parent = leaf.path.slice(0, -1);
    if (valueAt(config, parent) === undefined) setValueAt(config, parent, {});
  }
  const resolved = config as ServerConfig;
  const name = (key: string) => nameOf(key, sources, file?.name, code !== undefined);
  for (const rule of SERVER_CONFIG_RULES) {
    const message = rule.check(resolved, name);
    const source = sources[rule.option] ?? 'default';
    if (message) issues.push({ option: rule.option, source, message });
  }
  if (issues.length > 0) throw new ServerConfigError(issues);
  return { config: resolved, sources };
}

/** How a cross-option message names an option: as its value's source spells it. */
function nameOf(
  key: string,
  sources: ConfigSources,
  fileName: string | undefined,
  inCode: boolean,
): string {
  const leaf = LEAVES.find((candidate) => candidate.key === key);
  const source = sources[key];
  if (source === undefined || source === 'default') {
    return inCode || leaf?.option.flag === undefined ? key : `--${leaf.option.flag}`;
  }
  if (source === fileName || source === 'startServer') {
    return source === fileName ? `${key} in ${fileName}` : key;
  }
  return source;
}

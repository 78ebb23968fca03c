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

/** One source's checked values by option key, and its problems. */
interface Layer {
  source: string;
  values: Map<string, unknown>;
}

function parseText(leaf: OptionLeaf, text: string, label: string, issues: ConfigIssue[]) {
  return parseValue(leaf, leaf.option.type.fromText(text), label, label, issues);
}

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

function textLayer(
  source: string,
  read: (leaf: OptionLeaf) => [label: string, text: string] | undefined,
  issues: ConfigIssue[],
): Layer {
  const values = new Map<string, unknown>();
  for (const leaf of LEAVES) {
    const found = read(leaf);
    if (!found) continue;
    const value = parseText(leaf, found[1], found[0], issues);
    if (value !== undefined) values.set(leaf.key, value);
  }
  return { source, values };
}

function fileLayer(name: string, content: unknown, issues: ConfigIssue[]): Layer {
  const values = new Map<string, unknown>();
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
    return { source: name, values };
  }
  for (const leaf of LEAVES) {
    const value = valueAt(result.data, leaf.path);
    if (value !== undefined) values.set(leaf.key, value);
  }
  return { source: name, values };
}

function codeLayer(options: unknown, issues: ConfigIssue[]): Layer {
  const values = new Map<string, unknown>();
  for (const leaf of LEAVES) {
    const raw = valueAt(options, leaf.path);
    if (raw === undefined) continue;
    const value = parseValue(leaf, raw, leaf.key, 'startServer', issues);
    if (value !== undefined) values.set(leaf.key, value);
  }
  return { source: 'startServer', values };
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
  if (flags) {
    layers.push(
      textLayer(
        'flags',
        ({ option }) => {
          const text = option.flag === undefined ? undefined : flags[option.flag];
          return typeof text === 'string' ? [`--${option.flag}`, text] : undefined;
        },
        issues,
      ),
    );
  }
  if (env) {
    layers.push(
      textLayer(
        'environment',
        ({ option }) => {
          const text = option.env === undefined ? undefined : env[option.env];
          return text?.trim() && option.env ? [option.env, text] : undefined;
        },
        issues,
      ),
    );
  }
  if (file) layers.push(fileLayer(file.name, file.content, issues));
  if (code !== undefined) layers.push(codeLayer(code, issues));

  const config: Record<string, unknown> = {};
  const sources: ConfigSources = {};
  for (const leaf of LEAVES) {
    const layer = layers.find((candidate) => candidate.values.has(leaf.key));
    const value = layer ? layer.values.get(leaf.key) : leaf.option.default;
    if (value === undefined) continue;
    setValueAt(config, leaf.path, value);
    sources[leaf.key] = layer ? sourceName(layer, leaf) : 'default';
  }
  for (const leaf of LEAVES.filter((candidate) => candidate.path.length > 1)) {
    const parent = leaf.path.slice(0, -1);
    if (valueAt(config, parent) === undefined) setValueAt(config, parent, {});
  }
  const resolved = config as ServerConfig;
  const name = (key: string) => nameOf(key, sources, file?.name, code !== undefined);
  for (const rule of SERVER_CONFIG_RULES) {
    const problem = rule(resolved, name);
    if (problem) issues.push({ option: 'config', source: 'config', message: problem });
  }
  if (issues.length > 0) throw new ServerConfigError(issues);
  return { config: resolved, sources };
}

function sourceName(layer: Layer, leaf: OptionLeaf): string {
  if (layer.source === 'flags') return `--${leaf.option.flag}`;
  if (layer.source === 'environment') return leaf.option.env as string;
  return layer.source;
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

import { z } from 'zod';
import type { OptionType } from './option-types.js';

const OPTION = Symbol('countersign.option');

/** The declaration of one server option: everything the flags, variables, file and docs need. */
export interface OptionSpec<T> {
  /** Value type: checks, conversion from text, display. */
  type: OptionType<T>;
  /** One or two sentences for the README; say what it does and when to set it. */
  description: string;
  /** The value when no source sets it; leave out for options that are off unless set. */
  default?: T;
  /** How the default reads in the README when there is none in the config (`./countersign.db`). */
  defaultText?: string;
  /** `COUNTERSIGN_…` variable that sets it. */
  env?: `COUNTERSIGN_${string}`;
  /** `countersign serve` flag without the dashes. */
  flag?: string;
  /** Masked in `--print-config` and messages (passwords, tokens, URLs with credentials). */
  secret?: boolean;
}

/** A declared option; `Defaulted` records whether it always has a value. */
export type Option<T, Defaulted extends boolean> = OptionSpec<T> & {
  readonly [OPTION]: Defaulted;
};

/** Declares an option with a default: the config always holds a value for it. */
export function option<T>(spec: OptionSpec<T> & { default: T }): Option<T, true>;
/** Declares an option without a default: absent from the config unless a source sets it. */
export function option<T>(spec: OptionSpec<T>): Option<T, false>;
export function option<T>(spec: OptionSpec<T>): Option<T, boolean> {
  return { ...spec, [OPTION]: spec.default !== undefined };
}

/** Options, grouped in nested objects the way the config file and `startServer` nest them. */
export interface OptionTree {
  readonly [key: string]: Option<unknown, boolean> | OptionTree;
}

// biome-ignore lint/suspicious/noExplicitAny: matches an option of any value type
type AnyOption = Option<any, boolean>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The configuration an option tree describes: defaulted options always present, others optional. */
export type ConfigOf<Tree> = Simplify<
  {
    -readonly [K in keyof Tree as Tree[K] extends Option<unknown, false>
      ? never
      : K]: Tree[K] extends Option<infer T, true> ? T : ConfigOf<Tree[K]>;
  } & {
    -readonly [K in keyof Tree as Tree[K] extends Option<unknown, false>
      ? K
      : never]?: Tree[K] extends Option<infer T, false> ? T : never;
  }
>;

/** One option with its place in the tree. */
export interface OptionLeaf {
  /** Keys from the root, such as `['scheduler', 'idempotencyRetentionMs']`. */
  path: readonly string[];
  /** The path joined with dots, as messages and the README name the option. */
  key: string;
  option: AnyOption;
}

/** Whether a tree node is an option rather than a group of options. */
export function isOption(node: unknown): node is AnyOption {
  return typeof node === 'object' && node !== null && OPTION in node;
}

/** Every option of `tree`, depth first in declaration order. */
export function optionLeaves(tree: OptionTree, prefix: readonly string[] = []): OptionLeaf[] {
  return Object.entries(tree).flatMap(([name, node]) => {
    const path = [...prefix, name];
    return isOption(node)
      ? [{ path, key: path.join('.'), option: node }]
      : optionLeaves(node as OptionTree, path);
  });
}

/**
 * The zod schema of a tree: strict objects (unknown keys are refused), each option checked by its
 * type; with `defaults`, absent options take their default, otherwise they stay absent.
 */
export function treeSchema(tree: OptionTree, defaults: boolean): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, node] of Object.entries(tree)) {
    if (!isOption(node)) {
      const inner = treeSchema(node as OptionTree, defaults);
      shape[name] = defaults ? inner.prefault({}) : inner.optional();
    } else if (defaults && node.default !== undefined) {
      shape[name] = node.type.schema.default(node.default);
    } else {
      shape[name] = node.type.schema.optional();
    }
  }
  return z.strictObject(shape);
}

/** Reads the value at `path` of a nested object. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Sets the value at `path` of a nested object, creating (copies of) the objects on the way. */
export function setValueAt(root: Record<string, unknown>, path: readonly string[], value: unknown) {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null ? { ...next } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

// The worker thread that runs agent-supplied JSON Schemas, so no schema or pattern ever runs on
// the server's event loop: the parent stops this thread when a check runs past its time budget.
// Node runs this file directly from source in tests (type stripping), so it imports packages only.
import { parentPort } from 'node:worker_threads';
import { Validator } from '@cfworker/json-schema';
import { RE2JS } from 're2js';

/** A message from the parent. */
export type SchemaTask =
  | { id: number; task: 'inspect'; schema: Record<string, unknown>; maxExpansion: number }
  | { id: number; task: 'validate'; schema: Record<string, unknown>; value: unknown };

/** The answer to one task. */
export type SchemaAnswer =
  | { id: number; ok: true; issues: { path: string; message: string }[] }
  | {
      id: number;
      ok: false;
      problem: 'unusable' | 'pattern' | 'expansion';
      message: string;
      path?: string;
      value?: number;
    };

/**
 * `pattern` and `patternProperties` are evaluated with RE2 (linear time in the input, no
 * backtracking), not with the JavaScript engine's backtracking one. @cfworker/json-schema builds
 * them with `new RegExp(source, 'u')`; in this thread, and only here, that constructor is RE2's.
 */
class LinearRegExp {
  readonly #pattern: RE2JS;

  constructor(source: string) {
    this.#pattern = RE2JS.compile(RE2JS.translateRegExp(String(source)));
  }

  test(text: string): boolean {
    return this.#pattern.matcher(String(text)).find();
  }
}
globalThis.RegExp = LinearRegExp as unknown as RegExpConstructor;

const NOT_SCHEMAS = new Set(['enum', 'const', 'examples', 'default']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Every pattern in the schema compiles for RE2 (no backreferences or lookaround). */
function checkPatterns(schema: unknown): SchemaAnswer | undefined {
  const stack: { node: unknown; path: string }[] = [{ node: schema, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, path } = item;
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        stack.push({ node: child, path: `${path}/${index}` });
      });
      continue;
    }
    if (!isObject(node)) continue;
    const patterns: [string, string][] = [];
    if (typeof node.pattern === 'string') patterns.push([node.pattern, `${path}/pattern`]);
    if (isObject(node.patternProperties)) {
      for (const key of Object.keys(node.patternProperties)) {
        patterns.push([key, `${path}/patternProperties/${escapeSegment(key)}`]);
      }
    }
    for (const [source, at] of patterns) {
      try {
        new LinearRegExp(source);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return {
          id: 0,
          ok: false,
          problem: 'pattern',
          path: at,
          message: `The pattern at ${at} cannot run in linear time (no backreferences or lookaround): ${why}`,
        };
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (!NOT_SCHEMAS.has(key)) stack.push({ node: child, path: `${path}/${escapeSegment(key)}` });
    }
  }
  return undefined;
}

/** Resolves a local `$ref` (`#`, `#/json/pointer`, `#anchor`) within the root schema. */
function resolver(root: Record<string, unknown>): (ref: string) => unknown {
  const anchors = new Map<string, unknown>();
  const stack: unknown[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      if (typeof node.$anchor === 'string') anchors.set(node.$anchor, node);
      if (typeof node.$dynamicAnchor === 'string') anchors.set(node.$dynamicAnchor, node);
      for (const [key, child] of Object.entries(node)) if (!NOT_SCHEMAS.has(key)) stack.push(child);
    }
  }
  return (ref) => {
    if (ref === '#') return root;
    if (!ref.startsWith('#/')) return ref.startsWith('#') ? anchors.get(ref.slice(1)) : undefined;
    let node: unknown = root;
    for (const raw of ref.slice(2).split('/')) {
      const segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
      node =
        isObject(node) || Array.isArray(node)
          ? (node as Record<string, unknown>)[segment]
          : undefined;
    }
    return node;
  };
}

/**
 * How many subschemas the schema stands for with every `$ref` followed, stopping past `budget`.
 * Sizes are memoized per node, so shared definitions cost their size at each use without being
 * walked again; a reference back to a schema being counted (recursion) counts once, since its
 * depth is bounded by the instance's.
 */
function expansion(root: Record<string, unknown>, budget: number): number {
  const resolve = resolver(root);
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  const size = (node: unknown): number => {
    if (Array.isArray(node)) {
      let total = 0;
      for (const child of node) {
        total += size(child);
        if (total > budget) return total;
      }
      return total;
    }
    if (!isObject(node)) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) return 1;
    open.add(node);
    let total = 1;
    for (const [key, child] of Object.entries(node)) {
      if (NOT_SCHEMAS.has(key)) continue;
      total += size(child);
      if (total > budget) break;
    }
    for (const ref of [node.$ref, node.$dynamicRef, node.$recursiveRef]) {
      if (typeof ref === 'string' && total <= budget) total += size(resolve(ref));
    }
    open.delete(node);
    sizes.set(node, total);
    return total;
  };
  return size(root);
}

function answer(task: SchemaTask): SchemaAnswer {
  const { id } = task;
  if (task.task === 'inspect') {
    const pattern = checkPatterns(task.schema);
    if (pattern) return { ...pattern, id };
    const count = expansion(task.schema, task.maxExpansion);
    if (count > task.maxExpansion) {
      return {
        id,
        ok: false,
        problem: 'expansion',
        value: count,
        message: `The JSON Schema expands to more than ${task.maxExpansion} subschemas once its $refs are followed`,
      };
    }
  }
  let result: ReturnType<Validator['validate']>;
  try {
    const validator = new Validator(task.schema, '2020-12', false);
    result = validator.validate(task.task === 'validate' ? task.value : null);
  } catch (error) {
    return {
      id,
      ok: false,
      problem: 'unusable',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const issues =
    task.task === 'validate' && !result.valid
      ? result.errors
          .slice(0, 20)
          .map((error) => ({ path: error.instanceLocation, message: error.error }))
      : [];
  return { id, ok: true, issues };
}

// Time budgets start once this thread is ready, so start-up is never charged to a check.
parentPort?.postMessage({ ready: true });
parentPort?.on('message', (task: SchemaTask) => {
  let reply: SchemaAnswer;
  try {
    reply = answer(task);
  } catch (error) {
    // A schema deep enough to overflow the stack (in the counting or in the validator).
    const message = error instanceof Error ? error.message : String(error);
    reply = { id: task.id, ok: false, problem: 'unusable', message };
  }
  parentPort?.postMessage(reply);
});

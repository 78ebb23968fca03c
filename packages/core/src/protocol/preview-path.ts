/** One step of a preview path: a key of an object or an index of an array. */
export type PathSegment = string | number;

/** A parsed path: which root it starts at and the steps below it. */
export interface PreviewPath {
  root: 'args' | 'context';
  segments: PathSegment[];
}

const PATH = /^(args|context)((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d{1,6}\])*)$/;
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d{1,6})\]/g;
const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Parses `args.to`, `args.recipients[0]` or `context.file.before`; anything else (a CEL
 * expression) is undefined. Keys that could reach an object's prototype are refused.
 */
export function parsePreviewPath(source: string): PreviewPath | undefined {
  const match = PATH.exec(source.trim());
  if (!match) return undefined;
  const segments: PathSegment[] = [];
  for (const step of (match[2] ?? '').matchAll(SEGMENT)) {
    if (step[1] !== undefined) {
      if (UNSAFE_KEYS.has(step[1])) return undefined;
      segments.push(step[1]);
    } else segments.push(Number(step[2]));
  }
  return { root: match[1] as PreviewPath['root'], segments };
}

/** The value at `segments` below `root`, or undefined when a step is missing. */
export function valueAtPath(root: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return;
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/**
 * A copy of `root` with `value` at `segments`: how an edit made in a preview's own terms (the
 * subject of an email, the amount of a transfer) becomes edited arguments. Missing objects on the
 * way are created; the original is never changed.
 */
export function withValueAtPath(
  root: Record<string, unknown>,
  segments: readonly PathSegment[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(root);
  if (segments.length === 0) return copy;
  let current: Record<string, unknown> | unknown[] = copy;
  for (let index = 0; index < segments.length - 1; index++) {
    const segment = segments[index] as PathSegment;
    const next = (current as Record<string | number, unknown>)[segment];
    // A step that finds the other kind of container (an array where a key follows) replaces it,
    // as it replaces a missing or plain value: the value must be readable at the path afterwards.
    const wantsArray = typeof segments[index + 1] === 'number';
    const fits = next !== null && typeof next === 'object' && Array.isArray(next) === wantsArray;
    const child = fits ? (next as Record<string, unknown> | unknown[]) : wantsArray ? [] : {};
    (current as Record<string | number, unknown>)[segment] = child;
    current = child as Record<string, unknown> | unknown[];
  }
  (current as Record<string | number, unknown>)[segments.at(-1) as PathSegment] = value;
  return copy;
}

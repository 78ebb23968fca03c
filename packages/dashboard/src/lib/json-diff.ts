/** One difference between two JSON values. */
export interface JsonChange {
  /** Where, as readable text: `recipient.email`, `items[2]`; empty for the whole value. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (safe !== key) return `${path}[${safe}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** True when two JSON values are deeply equal (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return diffJson(a, b).length === 0;
}

/**
 * The differences between two JSON values, deepest first in document order. Objects are compared
 * key by key and arrays index by index, so a reviewer sees exactly which fields an edit touched.
 */
export function diffJson(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const changes: JsonChange[] = [];
    const keys = [
      ...Object.keys(before),
      ...Object.keys(after).filter((k) => !Object.hasOwn(before, k)),
    ];
    for (const key of keys) {
      const inBefore = Object.hasOwn(before, key);
      const inAfter = Object.hasOwn(after, key);
      const at = join(path, key);
      if (!inAfter) changes.push({ path: at, kind: 'removed', before: before[key] });
      else if (!inBefore) changes.push({ path: at, kind: 'added', after: after[key] });
      else changes.push(...diffJson(before[key], after[key], at));
    }
    return changes;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: JsonChange[] = [];
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index++) {
      const at = join(path, index);
      if (index >= after.length) changes.push({ path: at, kind: 'removed', before: before[index] });
      else if (index >= before.length)
        changes.push({ path: at, kind: 'added', after: after[index] });
      else changes.push(...diffJson(before[index], after[index], at));
    }
    return changes;
  }
  if (Object.is(before, after)) return [];
  return [{ path, kind: 'changed', before, after }];
}

import { describe, expect, it } from 'vitest';
import { diffJson, jsonEqual } from './json-diff';

describe('diffJson', () => {
  it('finds changed, added and removed fields with readable paths', () => {
    const before = { to: 'a@x.test', amount: 100, meta: { tags: ['x', 'y'] }, 'odd key': 1 };
    const after = { to: 'b@x.test', amount: 100, meta: { tags: ['x'] }, note: 'hi' };
    expect(diffJson(before, after)).toEqual([
      { path: 'to', kind: 'changed', before: 'a@x.test', after: 'b@x.test' },
      { path: 'meta.tags[1]', kind: 'removed', before: 'y' },
      { path: '["odd key"]', kind: 'removed', before: 1 },
      { path: 'note', kind: 'added', after: 'hi' },
    ]);
  });

  it('treats a type change as a change of the whole value', () => {
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([
      { path: 'a', kind: 'changed', before: [1], after: { 0: 1 } },
    ]);
  });

  it('ignores key order', () => {
    expect(jsonEqual({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: '1' })).toBe(false);
  });
});

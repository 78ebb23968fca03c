import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePreviewPath, valueAtPath, withValueAtPath } from './preview-path.js';

describe('preview paths', () => {
  it('parses paths into args and context, and nothing else', () => {
    expect(parsePreviewPath('args.to')).toEqual({ root: 'args', segments: ['to'] });
    expect(parsePreviewPath('context.files[2].before')).toEqual({
      root: 'context',
      segments: ['files', 2, 'before'],
    });
    expect(parsePreviewPath('args.amount * 2.0')).toBeUndefined();
    expect(parsePreviewPath('tool.name')).toBeUndefined();
    expect(parsePreviewPath('args.__proto__.polluted')).toBeUndefined();
  });

  it('reads only own values', () => {
    expect(valueAtPath({ a: [{ b: 1 }] }, ['a', 0, 'b'])).toBe(1);
    expect(valueAtPath({}, ['toString'])).toBeUndefined();
    expect(valueAtPath({ a: 'text' }, ['a', 0])).toBeUndefined();
  });

  it('replaces a container of the other kind on the way', () => {
    expect(withValueAtPath({ b: [] }, ['b', 'a', 0], 1)).toEqual({ b: { a: [1] } });
    expect(withValueAtPath({ b: { x: 1 } }, ['b', 0], 'v')).toEqual({ b: ['v'] });
  });

  it('writes a copy: what it wrote is read back, and the original is unchanged', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.nat(3)), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.jsonValue(),
        (root, segments, value) => {
          const before = structuredClone(root);
          if (typeof segments[0] === 'number') return;
          const written = withValueAtPath(root, segments, value);
          expect(root).toEqual(before);
          expect(valueAtPath(written, segments)).toEqual(value);
        },
      ),
    );
  });
});

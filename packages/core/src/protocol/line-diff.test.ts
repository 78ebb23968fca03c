import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineDiff } from './line-diff.js';

const side = (lines: ReturnType<typeof lineDiff>, keep: 'removed' | 'added') =>
  lines.filter((line) => line.type !== keep).map((line) => line.text);

describe('lineDiff', () => {
  it('marks the changed line and keeps the rest', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nB\nc\n')).toEqual([
      { type: 'same', text: 'a' },
      { type: 'removed', text: 'b' },
      { type: 'added', text: 'B' },
      { type: 'same', text: 'c' },
    ]);
    expect(lineDiff('', 'new file')).toEqual([{ type: 'added', text: 'new file' }]);
  });

  it('always rebuilds both texts exactly', () => {
    const text = fc
      .array(fc.constantFrom('x', 'y', 'z', ''), { maxLength: 30 })
      .map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const lines = lineDiff(before, after);
        expect(side(lines, 'added').join('\n')).toBe(
          before.split(/\r?\n/).join('\n').replace(/\n$/, ''),
        );
        expect(side(lines, 'removed').join('\n')).toBe(
          after.split(/\r?\n/).join('\n').replace(/\n$/, ''),
        );
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('is empty for equal texts', () => {
    expect(lineDiff('a\nb', 'a\nb', ['x', 'y'])).toBe('');
  });

  it('gives unified hunks with context', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'].join('\n');
    const after = ['1', '2', 'three', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'].join(
      '\n',
    );
    expect(lineDiff(before, after, ['p@1', 'p@2'])).toBe(
      [
        '--- p@1',
        '+++ p@2',
        '@@ -1,6 +1,6 @@',
        ' 1',
        ' 2',
        '-3',
        '+three',
        ' 4',
        ' 5',
        ' 6',
        '@@ -10,3 +10,4 @@',
        ' 10',
        ' 11',
        ' 12',
        '+13',
      ].join('\n'),
    );
  });

  it('diffs against nothing for a first version', () => {
    expect(lineDiff('', 'version: 1', ['/dev/null', 'p@1'])).toBe(
      ['--- /dev/null', '+++ p@1', '@@ -1,1 +1,1 @@', '-', '+version: 1'].join('\n'),
    );
  });
});

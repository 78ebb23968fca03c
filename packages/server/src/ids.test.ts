import { describe, expect, it } from 'vitest';
import { intentIdFor, requestIdFor } from './axme/axme-ids.js';
import { newId } from './ids.js';

describe('newId', () => {
  it('is the prefix and 12 bytes in base64url, so every request id is also an AXME intent id', () => {
    const id = newId('req');
    expect(id).toMatch(/^req_[\w-]{16}$/);
    expect(requestIdFor(intentIdFor(id) as string)).toBe(id);
    expect(newId('big', 5000)).toMatch(/^big_[\w-]{6667}$/);
  });

  it('never repeats, across refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId('req'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('starts with the time: ids made in the same millisecond share their first characters', () => {
    for (;;) {
      const start = Date.now();
      const [first, second] = [newId('req'), newId('req')] as [string, string];
      if (Date.now() !== start) continue;
      expect(second.slice(0, 9)).toBe(first.slice(0, 9));
      expect(second).not.toBe(first);
      return;
    }
  });
});

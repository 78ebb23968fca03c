import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('is the prefix, 8 time characters and the random bytes in base64url', () => {
    expect(newId('req')).toMatch(/^req_[\w-]{8}[\w-]{16}$/);
    expect(newId('dec', 3)).toMatch(/^dec_[\w-]{8}[\w-]{4}$/);
    expect(newId('big', 5000)).toHaveLength(4 + 8 + Math.ceil((5000 * 4) / 3));
  });

  it('never repeats, across refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId('req'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts ids made in a later millisecond after earlier ones, as text', async () => {
    const earlier = newId('req');
    const start = Date.now();
    while (Date.now() === start) await new Promise((resolve) => setImmediate(resolve));
    const later = newId('req');
    expect(later.slice(0, 12) > earlier.slice(0, 12)).toBe(true);
  });
});

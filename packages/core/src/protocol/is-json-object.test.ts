import { describe, expect, it } from 'vitest';
import { isJsonObject } from './is-json-object.js';

describe('isJsonObject', () => {
  it('accepts objects and refuses null, arrays and primitives', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject({ amount: 5 })).toBe(true);
    for (const value of [null, undefined, [], [1], 'x', 1, true]) {
      expect(isJsonObject(value), JSON.stringify(value)).toBe(false);
    }
  });
});

import { CountersignError } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_LIMITS } from '../service/input-limits.js';
import { assertDepthWithinLimit, assertSizeWithinLimits } from './bounded-json.js';

function refusal(run: () => void): Record<string, unknown> | undefined {
  try {
    run();
  } catch (error) {
    if (CountersignError.isInstance(error)) return { code: error.code, ...error.details };
    throw error;
  }
  return undefined;
}

describe('the depth scan before parsing', () => {
  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[[[[{{{{', b: '"}]"[[[', c: '\\' });
    expect(refusal(() => assertDepthWithinLimit(text, 1))).toBeUndefined();
  });

  it('names the path of the first container too deep, JSON Pointer escaped', () => {
    const text = JSON.stringify({ first: 1, 'x/y': { 'm~n': [0, [[1]]] } });
    expect(refusal(() => assertDepthWithinLimit(text, 4))).toEqual({
      code: 'validation_failed',
      name: 'maxJsonDepth',
      limit: 4,
      value: 5,
      path: '/x~1y/m~0n/1/0',
    });
    expect(refusal(() => assertDepthWithinLimit(text, 5))).toBeUndefined();
  });

  it('decodes escaped keys and leaves malformed text to the parser', () => {
    expect(refusal(() => assertDepthWithinLimit('{"\\u0041":[[', 2))).toMatchObject({
      path: '/A/0',
    });
    expect(refusal(() => assertDepthWithinLimit('{"a":]]]}}}[', 2))).toBeUndefined();
  });
});

describe('the size walk after parsing', () => {
  it('counts keys and items over every level and checks keys as strings', () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, maxJsonEntries: 100, maxStringLength: 1024 };
    const many = { list: Array.from({ length: 99 }, (_, index) => index) };
    expect(refusal(() => assertSizeWithinLimits(many, limits))).toBeUndefined();
    expect(refusal(() => assertSizeWithinLimits({ ...many, one: 1 }, limits))).toMatchObject({
      code: 'payload_too_large',
      name: 'maxJsonEntries',
    });
    expect(refusal(() => assertSizeWithinLimits({ ['k'.repeat(1025)]: 1 }, limits))).toMatchObject({
      name: 'maxStringLength',
      value: 1025,
    });
  });
});

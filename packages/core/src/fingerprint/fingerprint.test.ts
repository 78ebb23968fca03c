import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintMismatchError } from '../errors/index.js';
import { canonicalJson } from './canonical-json.js';
import { assertFingerprint, FINGERPRINT_PREFIX, fingerprint } from './fingerprint.js';

const jsonObject = fc.dictionary(fc.string(), fc.jsonValue());

/** The same value with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reverseKeys(item)]),
  );
}

/** The value with every -0 written as 0, as RFC 8785 serializes it. */
function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, withoutNegativeZero(item)]),
  );
}

describe('fingerprint (property-based)', () => {
  it('is deterministic and has the documented shape', () => {
    fc.assert(
      fc.property(fc.string(), jsonObject, (name, args) => {
        const value = fingerprint(name, args);
        expect(value).toBe(fingerprint(name, structuredClone(args)));
        expect(value).toMatch(new RegExp(`^${FINGERPRINT_PREFIX}[0-9a-f]{64}$`));
      }),
    );
  });

  it('does not depend on key order, at any depth', () => {
    fc.assert(
      fc.property(fc.string(), jsonObject, (name, args) => {
        expect(fingerprint(name, reverseKeys(args))).toBe(fingerprint(name, args));
      }),
    );
  });

  it('changes when any argument changes', () => {
    fc.assert(
      fc.property(jsonObject, fc.string(), fc.jsonValue(), (args, key, value) => {
        const had = Object.hasOwn(args, key);
        fc.pre(!had || canonicalJson(args[key]) !== canonicalJson(value));
        const changed = { ...args, [key]: value };
        expect(fingerprint('tool', changed)).not.toBe(fingerprint('tool', args));
      }),
    );
  });

  it('changes when the tool name changes', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), jsonObject, (a, b, args) => {
        fc.pre(a !== b);
        expect(fingerprint(a, args)).not.toBe(fingerprint(b, args));
      }),
    );
  });

  it('binds arguments: assertFingerprint refuses anything else', () => {
    const approved = fingerprint('deploy', { version: '2.4.1' });
    expect(() => assertFingerprint(approved, 'deploy', { version: '2.4.1' })).not.toThrow();
    expect(() => assertFingerprint(approved, 'deploy', { version: '2.4.2' })).toThrow(
      FingerprintMismatchError,
    );
    expect(() => assertFingerprint(approved, 'deploy2', { version: '2.4.1' })).toThrow(
      FingerprintMismatchError,
    );
  });
});

describe('canonicalJson (property-based)', () => {
  it('round-trips through JSON.parse to the same value and the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const parsed: unknown = JSON.parse(text);
        // -0 is written as 0, as RFC 8785 requires; everything else survives exactly.
        expect(parsed).toEqual(withoutNegativeZero(value));
        expect(canonicalJson(parsed)).toBe(text);
      }),
    );
  });
});

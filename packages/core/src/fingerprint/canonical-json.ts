import { CountersignError } from '../errors/countersign-error.js';

/**
 * Serializes a JSON value canonically, following RFC 8785 (JCS):
 * - object keys sorted by UTF-16 code units, at every depth;
 * - numbers in their shortest round-trip form (ECMAScript `Number#toString`), `-0` as `0`;
 * - strings escaped as `JSON.stringify` does; no Unicode normalization, so strings that differ in
 *   code points (for example NFC and NFD forms) are different arguments;
 * - `undefined` object members are dropped, as in JSON.
 *
 * Values JSON cannot carry (`NaN`, `Infinity`, bigints, functions, symbols, `undefined` in arrays,
 * cycles) throw a `validation_failed` error instead of being silently changed: a fingerprint must
 * describe exactly what runs.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, new Set());
}

function serialize(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw unsupported(`the number ${value}`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'object':
      return serializeObject(value, ancestors);
    default:
      throw unsupported(`a value of type ${typeof value}`);
  }
}

function serializeObject(value: object, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw unsupported('a circular structure');
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return serialize(toJSON.call(value), ancestors);
  ancestors.add(value);
  try {
    return Array.isArray(value)
      ? serializeArray(value, ancestors)
      : serializeMembers(value, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

// Plain loops: this runs on every gated call, and the array helpers cost more than the work.
function serializeArray(value: readonly unknown[], ancestors: Set<object>): string {
  let out = '[';
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    if (item === undefined) throw unsupported('undefined inside an array');
    out += (index === 0 ? '' : ',') + serialize(item, ancestors);
  }
  return out + ']';
}

function serializeMembers(value: object, ancestors: Set<object>): string {
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(compareCodeUnits);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + serialize(member, ancestors);
    first = false;
  }
  return out + '}';
}

// RFC 8785 sorts by UTF-16 code units; the default string comparison in JavaScript does exactly that.
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unsupported(what: string): CountersignError {
  return new CountersignError('validation_failed', {
    message: `Cannot fingerprint ${what}: tool arguments must be plain JSON`,
  });
}

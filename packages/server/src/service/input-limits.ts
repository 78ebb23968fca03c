import { fail } from './failures.js';

/**
 * Bounds on what one request body may hold, checked where JSON enters (before it is parsed into
 * objects for deep inputs, before canonical JSON, schemas and the stores see it). Each refusal is
 * a 400 `validation_failed` (depth) or 413 `payload_too_large` (sizes) with `details: { name,
 * limit, value, path }`.
 */
export interface InputLimits {
  /**
   * Deepest nesting of objects and arrays in a body, the body itself being level 1 (default 64).
   * Env `COUNTERSIGN_MAX_JSON_DEPTH`, flag `--max-json-depth`.
   */
  maxJsonDepth?: number;
  /**
   * Most object keys plus array items in one body, counted over every level (default 10 000).
   * Env `COUNTERSIGN_MAX_JSON_ENTRIES`, flag `--max-json-entries`.
   */
  maxJsonEntries?: number;
  /**
   * Longest string value or object key, in UTF-16 code units (default 262 144, 256 Ki).
   * Env `COUNTERSIGN_MAX_STRING_LENGTH`, flag `--max-string-length`.
   */
  maxStringLength?: number;
  /**
   * Largest `tool.schema` or `responseSchema`, in bytes of its JSON (default 65 536, 64 KiB).
   * Env `COUNTERSIGN_MAX_SCHEMA_BYTES`, flag `--max-schema-bytes`.
   */
  maxSchemaBytes?: number;
  /**
   * Most subschemas a JSON Schema may stand for once every `$ref` is followed (default 10 000):
   * `$defs` that reference each other twice per level double per level. A recursive reference
   * counts once. Env `COUNTERSIGN_MAX_SCHEMA_EXPANSION`, flag `--max-schema-expansion`.
   */
  maxSchemaExpansion?: number;
  /**
   * Longest one JSON Schema check may run, in milliseconds, on a worker thread off the event loop
   * (default 1000); past it the check is stopped and the input refused. Env
   * `COUNTERSIGN_SCHEMA_CHECK_TIMEOUT`, flag `--schema-check-timeout` (a duration there).
   */
  schemaCheckTimeoutMs?: number;
}

/** {@link InputLimits} with every default applied. */
export type ResolvedInputLimits = Required<InputLimits>;

/** The defaults of {@link InputLimits}. */
export const DEFAULT_INPUT_LIMITS: ResolvedInputLimits = {
  maxJsonDepth: 64,
  maxJsonEntries: 10_000,
  maxStringLength: 256 * 1024,
  maxSchemaBytes: 64 * 1024,
  maxSchemaExpansion: 10_000,
  schemaCheckTimeoutMs: 1000,
};

const MINIMUM: ResolvedInputLimits = {
  maxJsonDepth: 8,
  maxJsonEntries: 100,
  maxStringLength: 1024,
  maxSchemaBytes: 1024,
  maxSchemaExpansion: 100,
  schemaCheckTimeoutMs: 10,
};

/** Applies the defaults; throws a `validation_failed` error naming a limit that is not a whole number in range. */
export function resolveInputLimits(limits: InputLimits = {}): ResolvedInputLimits {
  const resolved = { ...DEFAULT_INPUT_LIMITS };
  for (const name of Object.keys(DEFAULT_INPUT_LIMITS) as (keyof InputLimits)[]) {
    const value = limits[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < MINIMUM[name]) {
      throw fail(
        'validation_failed',
        `inputLimits.${name} must be a whole number of at least ${MINIMUM[name]}`,
      );
    }
    resolved[name] = value;
  }
  return resolved;
}

/** The error for a value over a limit. */
export function overLimit(
  name: keyof InputLimits,
  limit: number,
  value: number,
  path: string,
  what: string,
) {
  const code = name === 'maxJsonDepth' ? 'validation_failed' : 'payload_too_large';
  const at = path === '' ? 'the body' : path;
  return fail(code, `${what} at ${at} is over the limit ${name} = ${limit}`, {
    name,
    limit,
    value,
    path,
  });
}

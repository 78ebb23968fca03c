import { Validator } from '@cfworker/json-schema';
import { fail } from './failures.js';

/**
 * Validates `value` against a JSON Schema document. A schema that cannot be used fails closed: the
 * value is refused rather than accepted unchecked.
 */
export function assertMatchesSchema(schema: Record<string, unknown>, value: unknown, what: string) {
  let result: ReturnType<Validator['validate']>;
  try {
    result = new Validator(schema, '2020-12', false).validate(value);
  } catch (error) {
    throw fail('unprocessable', `The JSON Schema for ${what} cannot be used`, {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
  if (!result.valid) {
    throw fail('unprocessable', `The ${what} do not match the JSON Schema`, {
      issues: result.errors.slice(0, 20).map((error) => ({
        path: error.instanceLocation,
        message: error.error,
      })),
    });
  }
}

/** Throws a validation error when `schema` cannot be compiled. */
export function assertUsableSchema(schema: Record<string, unknown>, what: string): void {
  try {
    new Validator(schema, '2020-12', false).validate(null);
  } catch (error) {
    throw fail('validation_failed', `The ${what} is not a usable JSON Schema`, {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
}

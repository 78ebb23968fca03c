import type { JsonObject } from './schemas.js';

/** True for a non-null, non-array object: the shape a tool call's arguments must have. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

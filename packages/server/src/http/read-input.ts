import type { Context } from 'hono';
import type { z } from 'zod';
import { fail } from '../service/failures.js';
import { DEFAULT_INPUT_LIMITS, type ResolvedInputLimits } from '../service/input-limits.js';
import { assertDepthWithinLimit, assertSizeWithinLimits } from './bounded-json.js';
import { readBody } from './read-body.js';

/**
 * Reads and validates a JSON body. Wrong content type is 415, malformed JSON 400 `invalid_json`,
 * a body over the input limits (depth, entries, string length) 400 or 413, a body that breaks the
 * schema 400 `validation_failed`. With `optional`, an empty body is `{}`.
 */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  options: { optional?: boolean } = {},
): Promise<z.output<S>> {
  const text = await readBody(c, (c.get('bodyLimit') as number | undefined) ?? DEFAULT_BODY_LIMIT);
  if (text.trim() === '' && options.optional) return parseWith(schema, {});
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw fail('unsupported_media_type', 'Send the body as application/json', {
      contentType: type,
    });
  }
  const limits = (c.get('inputLimits') as ResolvedInputLimits | undefined) ?? DEFAULT_INPUT_LIMITS;
  return parseWith(schema, parseBoundedJson(text, limits));
}

/**
 * Parses JSON text within the input limits: too deep is a 400 before parsing, malformed a 400
 * `invalid_json` (`what` names the text in the message), too many entries or too long strings a
 * 413.
 */
export function parseBoundedJson(
  text: string,
  limits: ResolvedInputLimits,
  what = 'The body',
): unknown {
  assertDepthWithinLimit(text, limits.maxJsonDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail('invalid_json', `${what} is not valid JSON`, {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
  assertSizeWithinLimits(value, limits);
  return value;
}

/** The body size limit when the app sets none. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Validates the query string (single values only) against a schema. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query: Record<string, string> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    if (values.length !== 1) {
      throw fail('validation_failed', `Give the query parameter "${key}" once`, { parameter: key });
    }
    query[key] = values[0] as string;
  }
  return parseWith(schema, query);
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw result.error;
  return result.data;
}

/**
 * Field names whose values never reach a log line, wherever a careless caller puts them: at the
 * top of a line's fields or one object down. A second line of defence: our own log calls never
 * pass headers, bodies, keys or URLs with credentials.
 */
const SECRET_FIELDS = new Set([
  'authorization',
  'apiKey',
  'key',
  'token',
  'secret',
  'password',
  'databaseUrl',
]);
/** Inside a `headers` object (at the top or one object down), these are secrets too. */
const SECRET_HEADERS = new Set(['authorization', 'cookie']);
const CENSOR = '[redacted]';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `fields` with each name of `names` censored; `fields` itself when none is there. */
function censor(fields: Record<string, unknown>, names: Set<string>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const name of Object.keys(fields)) {
    if (names.has(name)) {
      copy ??= { ...fields };
      copy[name] = CENSOR;
    }
  }
  return copy ?? fields;
}

function redactLevel(fields: Record<string, unknown>, top: boolean): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    let replaced = value;
    if (SECRET_FIELDS.has(name)) replaced = CENSOR;
    else if (isPlainObject(value)) {
      if (name === 'headers') replaced = censor(value, SECRET_HEADERS);
      else if (top) replaced = redactLevel(value, false);
    }
    if (replaced !== value) {
      copy ??= { ...fields };
      copy[name] = replaced;
    }
  }
  return copy ?? fields;
}

/**
 * A log line's fields with secrets replaced by `[redacted]` (see {@link SECRET_FIELDS}), copying
 * only the objects that change: the caller's own objects are never modified, and a line without
 * secrets (every request line) costs a walk over its few fields. pino's path-based `redact` ran
 * every value through its own serializer instead, at about as much CPU as a request's SQL.
 * Errors and other class instances are not searched.
 */
export function redactSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  return redactLevel(fields, true);
}

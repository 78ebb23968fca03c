import { z } from 'zod';
import { POSTGRES_URL, redactUrl } from '../store/open-configured-store.js';
import { CallbackHostList } from '../webhooks/callback-hosts.js';
import { formatDuration, parseDuration } from './duration.js';

/**
 * The type of one server option: how a value from the config file or a library caller is checked
 * (zod), how the text of a flag or environment variable becomes such a value, and how it is shown.
 * Problems read as a predicate ("must be a port number, not \"x\"") so the caller can put the
 * option's name and source in front.
 */
export interface OptionType<T> {
  /** The type as the README's options table names it. */
  readonly label: string;
  /** Checks and converts a value (from the config file, `startServer` or {@link fromText}). */
  readonly schema: z.ZodType<T, unknown>;
  /** The value a flag's or variable's text stands for, before {@link schema} checks it. */
  fromText(text: string): unknown;
  /** The value as `--print-config` and the README show it (durations as `7d`). */
  show(value: T): unknown;
  /** The value with its secret part hidden, for options marked secret (default `***`). */
  mask?(value: T): unknown;
}

/** `value` for a message: strings quoted, the rest as JSON. */
export function shown(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
}

class Problem {
  constructor(readonly message: string) {}
}

/** A zod schema around a check that returns the value or a {@link Problem}. */
function checked<T>(check: (value: unknown) => T | Problem): z.ZodType<T, unknown> {
  return z.unknown().transform((value, context) => {
    const result = check(value);
    if (!(result instanceof Problem)) return result;
    context.addIssue({ code: 'custom', message: result.message, input: value });
    return z.NEVER;
  }) as unknown as z.ZodType<T, unknown>;
}

const wholeNumber = (text: string): unknown => (/^-?\d+$/.test(text.trim()) ? Number(text) : text);
const asIs = (value: unknown) => value;

/** A TCP port; 0 picks a free one. */
export const portType: OptionType<number> = {
  label: 'port',
  schema: checked((value) =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535
      ? (value as number)
      : new Problem(`must be a port number, not ${shown(value)}`),
  ),
  fromText: wholeNumber,
  show: asIs,
};

/** A non-empty string, named `label` in the README (such as `path` or `host`). */
export function textType(label: string): OptionType<string> {
  return {
    label,
    schema: checked((value) =>
      typeof value === 'string' && value.trim() !== ''
        ? value
        : new Problem(`must be a non-empty ${label}, not ${shown(value)}`),
    ),
    fromText: asIs,
    show: asIs,
  };
}

/** A secret string of at least `minLength` characters (masked in output). */
export function secretTextType(minLength: number): OptionType<string> {
  return {
    label: 'text',
    schema: checked((value) =>
      typeof value === 'string' && value.trim().length >= minLength
        ? value.trim()
        : new Problem(`must be a secret of at least ${minLength} characters`),
    ),
    fromText: asIs,
    show: asIs,
  };
}

/** A whole number of at least `min`. */
export function integerType(min: number): OptionType<number> {
  return {
    label: `integer ≥ ${min}`,
    schema: checked((value) =>
      Number.isInteger(value) && (value as number) >= min
        ? (value as number)
        : new Problem(`must be a whole number of at least ${min}, not ${shown(value)}`),
    ),
    fromText: wholeNumber,
    show: asIs,
  };
}

/** A positive rate per second; `Infinity` (as text `off`) turns the limit off. */
export const rateType: OptionType<number> = {
  label: 'rate per second, or off',
  schema: checked((value) =>
    typeof value === 'number' && value > 0
      ? value
      : new Problem(
          `must be a positive number of requests per second, or off, not ${shown(value)}`,
        ),
  ),
  fromText: (text) => {
    const word = text.trim().toLowerCase();
    if (word === 'off' || word === 'infinity') return Number.POSITIVE_INFINITY;
    return /^\d+(\.\d+)?$/.test(word) ? Number(word) : text;
  },
  show: (value) => (value === Number.POSITIVE_INFINITY ? 'off' : value),
};

/** `true` or `false` (as text also `yes`/`no`, `on`/`off`, `1`/`0`). */
export const booleanType: OptionType<boolean> = {
  label: 'boolean',
  schema: checked((value) =>
    typeof value === 'boolean' ? value : new Problem(`must be true or false, not ${shown(value)}`),
  ),
  fromText: (text) => {
    const word = text.trim().toLowerCase();
    if (['true', 'yes', 'on', '1'].includes(word)) return true;
    if (['false', 'no', 'off', '0'].includes(word)) return false;
    return text;
  },
  show: asIs,
};

/** A secret of at least `min` characters (a bearer token). */
export function tokenType(min: number): OptionType<string> {
  return {
    label: 'token',
    schema: checked((value) =>
      typeof value === 'string' && value.trim().length >= min
        ? value.trim()
        : new Problem(`must be a token of at least ${min} characters`),
    ),
    fromText: asIs,
    show: asIs,
  };
}

/**
 * Milliseconds, written as a duration (`250ms`, `15s`, `5m`, `36h`, `7d`) or, in the config file
 * and in code, as a number of milliseconds; at least `min`.
 */
export function durationType(options: {
  min: number;
  /** How the minimum reads in messages (default: {@link formatDuration} of it). */
  minText?: string;
  /** Examples for messages, such as `36h or 7d`. */
  examples: string;
}): OptionType<number> {
  const minText = options.minText ?? formatDuration(options.min);
  return {
    label: 'duration',
    schema: checked((value) => {
      const ms = typeof value === 'string' ? parseDuration(value) : value;
      return typeof ms === 'number' && Number.isFinite(ms) && ms >= options.min
        ? ms
        : new Problem(
            `must be a duration of at least ${minText}, such as ${options.examples}, not ${shown(value)}`,
          );
    }),
    fromText: asIs,
    show: (ms) => formatDuration(ms),
  };
}

/** The callback allow-list: a list of `host`, `host:port` or `*.domain` (comma separated as text). */
export const hostListType: OptionType<string[]> = {
  label: 'list of hosts',
  schema: checked((value) => {
    if (!Array.isArray(value)) return new Problem(`must be a list of hosts, not ${shown(value)}`);
    try {
      return CallbackHostList.parse(value).entries;
    } catch (error) {
      return new Problem(error instanceof Error ? error.message : String(error));
    }
  }),
  fromText: (text) => text.split(',').map((entry) => entry.trim()),
  show: asIs,
};

/** A `postgres://` connection URL; its password is masked wherever it is shown. */
export const postgresUrlType: OptionType<string> = {
  label: 'postgres:// URL',
  schema: checked((value) =>
    typeof value === 'string' && POSTGRES_URL.test(value)
      ? value
      : new Problem(
          `must start with postgres://, not ${typeof value === 'string' ? shown(redactUrl(value)) : shown(value)}`,
        ),
  ),
  fromText: asIs,
  show: asIs,
  mask: redactUrl,
};

/** A URL with one of `protocols` (e.g. `['http', 'https']`); its password is masked in output. */
export function urlType(protocols: readonly string[]): OptionType<string> {
  const label = `${protocols.join('/')} URL`;
  return {
    label,
    schema: checked((value) => {
      if (typeof value === 'string') {
        try {
          const url = new URL(value);
          if (protocols.includes(url.protocol.slice(0, -1)) && url.hostname) return value;
        } catch {
          // reported below
        }
      }
      const text = typeof value === 'string' ? shown(redactUrl(value)) : shown(value);
      return new Problem(
        `must be a ${protocols.map((p) => `${p}://`).join(' or ')} URL, not ${text}`,
      );
    }),
    fromText: asIs,
    show: asIs,
    mask: redactUrl,
  };
}

/** One of a few words. */
export function choiceType<T extends string>(choices: readonly T[]): OptionType<T> {
  return {
    label: choices.join(' or '),
    schema: checked((value) =>
      choices.includes(value as T)
        ? (value as T)
        : new Problem(
            `must be ${choices.map((choice) => `"${choice}"`).join(' or ')}, not ${shown(value)}`,
          ),
    ),
    fromText: asIs,
    show: asIs,
  };
}

/** A list of non-empty strings (comma separated as text), such as email domains or group names. */
export function textListType(label: string): OptionType<string[]> {
  return {
    label: `list of ${label}`,
    schema: checked((value) =>
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((item) => typeof item === 'string' && item.trim() !== '')
        ? value.map((item: string) => item.trim())
        : new Problem(`must be a non-empty list of ${label}, not ${shown(value)}`),
    ),
    fromText: (text) => text.split(',').map((entry) => entry.trim()),
    show: asIs,
  };
}
/** A list of assignees (`user:NAME`, `group:NAME`), comma separated as text. */
export const assigneeListType: OptionType<string[]> = {
  label: 'list of assignees',
  schema: checked((value) => {
    if (!Array.isArray(value))
      return new Problem(`must be a list of assignees, not ${shown(value)}`);
    const bad = value.find(
      (entry) => typeof entry !== 'string' || !/^(user|group):[^\s,]{1,128}$/.test(entry),
    );
    return bad === undefined
      ? (value as string[])
      : new Problem(`must name user:NAME or group:NAME, not ${shown(bad)}`);
  }),
  fromText: (text) =>
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  show: asIs,
};

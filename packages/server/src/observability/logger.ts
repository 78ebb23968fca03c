import { type Logger, type LoggerOptions, pino } from 'pino';

/** The levels `--log-level` accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Field paths pino replaces with `[redacted]` wherever a careless caller puts them, as a second
 * line of defence: our own log calls never pass headers, bodies, keys or URLs with credentials.
 */
const REDACTED = [
  'authorization',
  'apiKey',
  'key',
  'token',
  'secret',
  'password',
  'databaseUrl',
  '*.authorization',
  '*.apiKey',
  '*.key',
  '*.token',
  '*.secret',
  '*.password',
  '*.databaseUrl',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

/**
 * The JSON logger of the server and the proxy: one line per entry on stderr (fd 2, written
 * synchronously so nothing is lost on exit), `time` in ISO form, errors under `err`.
 */
export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'countersign' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED, censor: '[redacted]' },
      ...options,
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

export type { Logger };

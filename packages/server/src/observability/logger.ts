import { type Logger, type LoggerOptions, pino } from 'pino';
import { redactSecrets } from './redact-secrets.js';

/** The levels `--log-level` accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Info and debug lines are written together once this many bytes wait (a few request lines). */
const BUFFERED_BYTES = 4096;
/** …or at the latest after this many milliseconds, so a quiet server's lines show up promptly. */
const FLUSH_INTERVAL_MS = 100;
/** pino's level number of `warn`: from here up, a line is written at once. */
const WARN = 40;

let shared: ReturnType<typeof pino.destination> | undefined;

/** The one buffer in front of stderr, shared by every logger of the process (lines stay in order). */
function standardError(): ReturnType<typeof pino.destination> {
  if (shared) return shared;
  const destination = pino.destination({
    fd: 2,
    sync: true,
    minLength: BUFFERED_BYTES,
    periodicFlush: FLUSH_INTERVAL_MS,
  });
  process.once('exit', () => destination.flushSync());
  shared = destination;
  return destination;
}

/**
 * The JSON logger of the server: one line per entry on stderr (fd 2), `time` in ISO form, errors
 * under `err`. Lines are written synchronously, but info lines (one per HTTP request) a few at a
 * time: one `write` per line cost a request as much CPU as its SQL. A warning or worse is written
 * at once with everything before it, and exit writes what is left, so only a killed process
 * (SIGKILL, a V8 abort) can lose lines, the last 100 ms at most.
 */
export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const destination = standardError();
  return pino(
    {
      level,
      base: { service: 'countersign' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: redactSecrets },
      hooks: {
        logMethod(inputs, method, levelNumber) {
          method.apply(this, inputs);
          if (levelNumber >= WARN) destination.flushSync();
        },
      },
      ...options,
    },
    destination,
  );
}

export type { Logger };

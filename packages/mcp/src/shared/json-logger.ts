import { pino } from 'pino';
import type { Logger } from './logger.js';

/** The levels `--log-level` accepts. */
export const PROXY_LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** One of {@link PROXY_LOG_LEVELS}. */
export type ProxyLogLevel = (typeof PROXY_LOG_LEVELS)[number];

/**
 * A {@link Logger} writing pino JSON lines to stderr (`--log-format json`): `level`, `time`,
 * `service`, `msg`, and for each `tools/call` the tool, how it ended, its duration and trace id.
 * Tool arguments, results and keys are never among the fields.
 */
export function createJsonLogger(level: ProxyLogLevel = 'info'): Logger {
  const log = pino(
    {
      level,
      base: { service: 'countersign-mcp' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ fd: 2, sync: true }),
  );
  return {
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
    record: (message, fields) => log.info(fields, message),
  };
}

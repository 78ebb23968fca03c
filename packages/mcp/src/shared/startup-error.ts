import { CountersignError, type ErrorCode } from '@countersign/core';

/**
 * A problem that stops `countersign-mcp` from starting: a bad flag, a bad policy or config file,
 * an upstream that does not start, or an unreachable Countersign server. The CLI prints its
 * message as one line on stderr and exits non-zero.
 */
export class StartupError extends CountersignError {
  static override readonly errorName = 'StartupError';
  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(code, { message, cause });
  }
}

/** The message of any thrown value, on one line. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

import { CountersignError } from '@countersign/core/protocol';

/** A problem the CLI reports in one line with a non-zero exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Where a command writes; injectable for tests. */
export interface CliIo {
  /** Writes a line. */
  out(text: string): void;
  /** Writes text as is. */
  write(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Stops long-running commands such as `tail` (the process uses SIGINT). */
  signal?: AbortSignal;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  write: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
};

/** The database path from `--db`, `COUNTERSIGN_DB`, or `./countersign.db`. */
export function dbPathFrom(value: string | undefined, env: NodeJS.ProcessEnv): string {
  return value ?? env.COUNTERSIGN_DB ?? './countersign.db';
}

/** One line describing any error. */
export function describeError(error: unknown): string {
  if (CountersignError.isInstance(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

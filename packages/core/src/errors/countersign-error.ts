import type { ErrorCode } from './error-codes.js';

const marker = Symbol.for('countersign.error');

/** Options accepted by every Countersign error. */
export interface CountersignErrorOptions {
  /** Human-readable message. */
  message: string;
  /** The underlying error, if any. */
  cause?: unknown;
  /** Structured, JSON-safe details (for example validation issues). */
  details?: Record<string, unknown>;
}

/**
 * The base class of every error Countersign throws. Use {@link CountersignError.isInstance}
 * rather than `instanceof`: it works across duplicated copies of the package.
 */
export class CountersignError extends Error {
  // The marker makes isInstance work across duplicated copies of the package.
  readonly [marker] = true;
  /** A stable string code, see {@link ErrorCode}. */
  readonly code: ErrorCode;
  /** Structured, JSON-safe details. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, { message, cause, details }: CountersignErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CountersignError';
    this.code = code;
    this.details = details ?? {};
  }

  /** True for any Countersign error, whatever copy of the package created it. */
  static isInstance(error: unknown): error is CountersignError {
    return typeof error === 'object' && error !== null && marker in error;
  }

  /** True when `error` is a Countersign error carrying `code`. */
  static hasCode<C extends ErrorCode>(
    error: unknown,
    code: C,
  ): error is CountersignError & { code: C } {
    return CountersignError.isInstance(error) && error.code === code;
  }
}

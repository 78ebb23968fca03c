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
  // The marker holds the class names of the error's chain (`['ApiError', 'CountersignError']`),
  // so isInstance works for subclasses too, across duplicated copies of the package.
  readonly [marker]: readonly string[];
  /** A stable string code, see {@link ErrorCode}. */
  readonly code: ErrorCode;
  /** Structured, JSON-safe details. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, { message, cause, details }: CountersignErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CountersignError';
    this[marker] = classNames(new.target);
    this.code = code;
    this.details = details ?? {};
  }

  /**
   * True when `error` is an instance of this class (`CountersignError.isInstance` for any Countersign
   * error, `ApiError.isInstance` only for API errors), whatever copy of the package created it.
   */
  static isInstance<T extends abstract new (...args: never[]) => CountersignError>(
    this: T,
    error: unknown,
  ): error is InstanceType<T> {
    if (typeof error !== 'object' || error === null || !(marker in error)) return false;
    const names = (error as { [marker]: unknown })[marker];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass isInstance was called on.
    return Array.isArray(names) && names.includes(this.name);
  }

  /** True when `error` is a Countersign error carrying `code`. */
  static hasCode<C extends ErrorCode>(
    error: unknown,
    code: C,
  ): error is CountersignError & { code: C } {
    return CountersignError.isInstance(error) && error.code === code;
  }
}

function classNames(target: Function): string[] {
  const names: string[] = [];
  for (
    let current = target;
    current && current !== Error;
    current = Object.getPrototypeOf(current)
  ) {
    names.push(current.name);
  }
  return names;
}

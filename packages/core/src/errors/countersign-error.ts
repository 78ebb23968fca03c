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
 * rather than `instanceof`: it works across duplicated (and bundled, minified) copies of the package.
 *
 * A subclass declares its own `static readonly errorName = 'MyError'`: a string literal, which
 * minifiers keep, unlike the class's `Function.name`. It is also the error's `name`.
 */
export class CountersignError extends Error {
  /** The class's name as {@link CountersignError.isInstance} knows it; each subclass declares its own. */
  static readonly errorName: string = 'CountersignError';
  // The marker holds the error names of the error's chain (`['ApiError', 'CountersignError']`),
  // so isInstance works for subclasses too, across duplicated copies of the package.
  readonly [marker]: readonly string[];
  /** A stable string code, see {@link ErrorCode}. */
  readonly code: ErrorCode;
  /** Structured, JSON-safe details. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, { message, cause, details }: CountersignErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = errorNameOf(new.target);
    this[marker] = errorNames(new.target);
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
    return Array.isArray(names) && names.includes(errorNameOf(this));
  }

  /** True when `error` is a Countersign error carrying `code`. */
  static hasCode<C extends ErrorCode>(
    error: unknown,
    code: C,
  ): error is CountersignError & { code: C } {
    return CountersignError.isInstance(error) && error.code === code;
  }
}

// A subclass that declares no errorName of its own (one written outside Countersign) falls back
// to its Function.name rather than inheriting its parent's, which would make it match the parent.
function errorNameOf(target: Function): string {
  return Object.hasOwn(target, 'errorName')
    ? String((target as { errorName?: unknown }).errorName)
    : target.name;
}

function errorNames(target: Function): string[] {
  const names: string[] = [];
  for (
    let current = target;
    current && current !== Error;
    current = Object.getPrototypeOf(current)
  ) {
    names.push(errorNameOf(current));
  }
  return names;
}

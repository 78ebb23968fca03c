import { CountersignError, type CountersignErrorOptions } from './countersign-error.js';

type Options = Omit<CountersignErrorOptions, 'message'> & { message?: string };

/** The human reviewer rejected the request. `reason` is theirs. */
export class RejectedError extends CountersignError {
  static override readonly errorName = 'RejectedError';
  readonly requestId: string;
  readonly reason: string;
  constructor(options: Options & { requestId: string; reason: string }) {
    super('rejected', { ...options, message: options.message ?? `Rejected: ${options.reason}` });
    this.requestId = options.requestId;
    this.reason = options.reason;
  }
}

/** Nobody decided before the deadline. This is never a rejection. */
export class ExpiredError extends CountersignError {
  static override readonly errorName = 'ExpiredError';
  readonly requestId: string;
  constructor(options: Options & { requestId: string }) {
    super('expired', { ...options, message: options.message ?? 'No decision before the deadline' });
    this.requestId = options.requestId;
  }
}

/** The requester withdrew the request. This is never a rejection. */
export class CancelledError extends CountersignError {
  static override readonly errorName = 'CancelledError';
  readonly requestId: string;
  constructor(options: Options & { requestId: string }) {
    super('cancelled', { ...options, message: options.message ?? 'The request was cancelled' });
    this.requestId = options.requestId;
  }
}

/** The approval service could not be reached, or answered with a 5xx. */
export class ServiceUnavailableError extends CountersignError {
  static override readonly errorName = 'ServiceUnavailableError';
  constructor(options: Options = {}) {
    super('service_unavailable', {
      ...options,
      message: options.message ?? 'The Countersign service is unavailable',
    });
  }
}

/** The approval service answered with something that is not the protocol. */
export class InvalidResponseError extends CountersignError {
  static override readonly errorName = 'InvalidResponseError';
  constructor(options: Options = {}) {
    super('invalid_response', {
      ...options,
      message: options.message ?? 'The Countersign service sent an invalid response',
    });
  }
}

/** A policy file or rule is malformed. The message names the file, line and rule. */
export class PolicyInvalidError extends CountersignError {
  static override readonly errorName = 'PolicyInvalidError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly rule: string | undefined;
  constructor(options: Options & { message: string; file?: string; line?: number; rule?: string }) {
    super('policy_invalid', options);
    this.file = options.file;
    this.line = options.line;
    this.rule = options.rule;
  }
}

/** What would run is not what the human approved. */
export class FingerprintMismatchError extends CountersignError {
  static override readonly errorName = 'FingerprintMismatchError';
  readonly expected: string;
  readonly actual: string;
  constructor(options: Options & { expected: string; actual: string }) {
    super('fingerprint_mismatch', {
      ...options,
      message: options.message ?? 'The arguments differ from the ones that were approved',
    });
    this.expected = options.expected;
    this.actual = options.actual;
  }
}

/** The server answered with an API error body (`{ error: { code, message, details } }`). */
export class ApiError extends CountersignError {
  static override readonly errorName = 'ApiError';
  readonly status: number;
  constructor(
    code: ConstructorParameters<typeof CountersignError>[0],
    options: Options & { message: string; status: number },
  ) {
    super(code, options);
    this.status = options.status;
  }
}

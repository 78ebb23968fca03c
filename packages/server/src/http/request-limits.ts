import type { Principal } from '../auth/principal.js';
import { fail } from '../service/failures.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * Per-key and per-address limits (every replica applies them to the traffic it receives). Each
 * refusal is a 429 `rate_limited` with `Retry-After`.
 */
export interface LimitOptions {
  /**
   * Requests per second one API key may make, on average (default 1,000; `Infinity` turns the
   * limit off). Env `COUNTERSIGN_KEY_RATE_LIMIT`, flag `--key-rate-limit`.
   */
  keyRequestsPerSecond?: number;
  /**
   * Requests one API key may make at once above that average (default 10,000).
   * Env `COUNTERSIGN_KEY_RATE_BURST`, flag `--key-rate-burst`.
   */
  keyRequestBurst?: number;
  /**
   * Failed authentications per second one client address may make on `/v1` (the AXME routes
   * included) and `/api`, on average (default 20; `Infinity` turns the limit off). Over it, such requests get 429 instead
   * of 401. Env `COUNTERSIGN_UNAUTHENTICATED_RATE_LIMIT`, flag `--unauthenticated-rate-limit`.
   */
  unauthenticatedRequestsPerSecond?: number;
  /**
   * Failed authentications one client address may make at once (default 200).
   * Env `COUNTERSIGN_UNAUTHENTICATED_RATE_BURST`, flag `--unauthenticated-rate-burst`.
   */
  unauthenticatedRequestBurst?: number;
  /**
   * Long-polls and SSE streams one API key may hold open at once in this process (default 1,000).
   * Env `COUNTERSIGN_MAX_WAITS_PER_KEY`, flag `--max-waits-per-key`.
   */
  maxConcurrentWaitsPerKey?: number;
  /**
   * Milliseconds between re-reads of the keys that hold open waits, which ends the waits of keys
   * revoked elsewhere (another replica, the offline CLI) (default 5,000).
   * Env `COUNTERSIGN_KEY_RECHECK_INTERVAL`, flag `--key-recheck-interval`.
   */
  keyRecheckMs?: number;
}

/** The limits with every default filled in. */
export type ResolvedLimits = Required<LimitOptions>;

const DEFAULTS: ResolvedLimits = {
  keyRequestsPerSecond: 1_000,
  keyRequestBurst: 10_000,
  unauthenticatedRequestsPerSecond: 20,
  unauthenticatedRequestBurst: 200,
  maxConcurrentWaitsPerKey: 1_000,
  keyRecheckMs: 5_000,
};

/** Seconds a client refused for holding too many waits is told to wait. */
export const WAIT_CAP_RETRY_SECONDS = 5;

/** Fills in the defaults; a limit that is not a positive number throws `validation_failed`. */
export function resolveLimits(options: LimitOptions = {}): ResolvedLimits {
  const limits = { ...DEFAULTS, ...options };
  for (const name of ['keyRequestsPerSecond', 'unauthenticatedRequestsPerSecond'] as const) {
    if (!(limits[name] > 0))
      throw fail('validation_failed', `limits.${name} must be a positive number`);
  }
  for (const name of [
    'keyRequestBurst',
    'unauthenticatedRequestBurst',
    'maxConcurrentWaitsPerKey',
  ] as const) {
    if (!Number.isInteger(limits[name]) || limits[name] < 1) {
      throw fail('validation_failed', `limits.${name} must be a whole number of at least 1`);
    }
  }
  if (!Number.isFinite(limits.keyRecheckMs) || limits.keyRecheckMs < 10) {
    throw fail('validation_failed', 'limits.keyRecheckMs must be at least 10');
  }
  return limits;
}

/** Throws the 429 that tells the client to come back after `seconds`. */
export function rateLimited(message: string, seconds: number, limit: number): never {
  throw fail('rate_limited', message, { retryAfterSeconds: seconds, limit });
}

/** The request-rate budgets of keys and of unauthenticated client addresses. */
export class RequestLimits {
  readonly #keys: RateLimiter;
  readonly #addresses: RateLimiter;
  readonly #limits: ResolvedLimits;

  constructor(limits: ResolvedLimits) {
    this.#limits = limits;
    this.#keys = new RateLimiter(limits.keyRequestsPerSecond, limits.keyRequestBurst);
    this.#addresses = new RateLimiter(
      limits.unauthenticatedRequestsPerSecond,
      limits.unauthenticatedRequestBurst,
    );
  }

  /** Charges one request to the principal's key; 429 once its budget is spent. */
  chargeKey(principal: Principal): void {
    const wait = this.#keys.take(principal.keyId);
    if (wait > 0) {
      rateLimited(
        `This API key made more than ${this.#limits.keyRequestsPerSecond} requests per second`,
        wait,
        this.#limits.keyRequestsPerSecond,
      );
    }
  }

  /** Charges one failed authentication to the client address; 429 once that address is over. */
  chargeUnauthenticated(address: string): void {
    const wait = this.#addresses.take(address);
    if (wait > 0) {
      rateLimited(
        'Too many requests without a valid API key from this address',
        wait,
        this.#limits.unauthenticatedRequestsPerSecond,
      );
    }
  }
}

import { performance } from 'node:perf_hooks';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets beyond this many are swept of the ones that refilled (idle keys and addresses). */
const SWEEP_ABOVE = 10_000;

/**
 * A token bucket per name (a key id, a client address): `burst` requests at once, refilled at
 * `ratePerSecond`. In-process only: each replica limits what reaches it.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #ratePerSecond: number;
  readonly #burst: number;
  readonly #now: () => number;

  constructor(ratePerSecond: number, burst: number, now: () => number = () => performance.now()) {
    this.#ratePerSecond = ratePerSecond;
    this.#burst = burst;
    this.#now = now;
  }

  /** Takes one token for `name`: 0 when the request may go ahead, else whole seconds to wait. */
  take(name: string): number {
    if (this.#ratePerSecond === Number.POSITIVE_INFINITY) return 0;
    const now = this.#now();
    const tokens = this.#tokens(this.#buckets.get(name), now);
    if (tokens >= 1) {
      this.#buckets.set(name, { tokens: tokens - 1, at: now });
      if (this.#buckets.size > SWEEP_ABOVE) this.#sweep(now);
      return 0;
    }
    this.#buckets.set(name, { tokens, at: now });
    return Math.max(1, Math.ceil((1 - tokens) / this.#ratePerSecond));
  }

  #tokens(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return this.#burst;
    return Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#ratePerSecond);
  }

  #sweep(now: number): void {
    for (const [name, bucket] of this.#buckets) {
      if (this.#tokens(bucket, now) >= this.#burst) this.#buckets.delete(name);
    }
  }
}

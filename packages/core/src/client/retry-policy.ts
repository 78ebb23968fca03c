import type { RetryOptions } from './client-options.js';

/** Statuses worth another attempt: the server timed out, throttled us, or failed. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The delay before retry number `attempt` (0 for the first retry): full jitter, a random delay
 * between 0 and `initialDelayMs * 2^attempt`, capped by `maxDelayMs`. A server's `Retry-After`
 * replaces it, still capped.
 */
export function backoffDelay(
  attempt: number,
  retry: Required<RetryOptions>,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, retry.maxDelayMs);
  const ceiling = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds from `nowMs`
 * (never negative), or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

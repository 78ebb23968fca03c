import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy.js';

const retry = { maxRetries: 5, initialDelayMs: 100, maxDelayMs: 1_000 };

describe('retry policy', () => {
  it('draws full jitter under an exponential ceiling capped by maxDelayMs', () => {
    expect(backoffDelay(0, retry, undefined, () => 0.999)).toBe(99);
    expect(backoffDelay(2, retry, undefined, () => 0.5)).toBe(200);
    expect(backoffDelay(10, retry, undefined, () => 0.999)).toBe(999);
    expect(backoffDelay(3, retry, undefined, () => 0)).toBe(0);
  });

  it('lets Retry-After replace the backoff, still capped', () => {
    expect(backoffDelay(0, retry, 300)).toBe(300);
    expect(backoffDelay(0, retry, 60_000)).toBe(1_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:02 GMT', now)).toBe(2_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('retries timeouts, throttling and server errors only', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(isRetryableStatus)).toBe(false);
  });
});

import type { Dispatcher } from 'undici';
import { CountersignError } from '../errors/index.js';

/** How failed idempotent calls are retried: exponential backoff with full jitter. */
export interface RetryOptions {
  /** Retries after the first attempt (so `maxRetries + 1` attempts in all). Default: 3. */
  maxRetries?: number;
  /** The backoff ceiling of the first retry, doubled for each further retry. Default: 200 ms. */
  initialDelayMs?: number;
  /** No single delay exceeds this, `Retry-After` included. Default: 5,000 ms. */
  maxDelayMs?: number;
}

/** Options of {@link CountersignClient}. */
export interface CountersignClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8787`. Default: `process.env.COUNTERSIGN_URL`. */
  baseUrl?: string;
  /** The API key sent as `Authorization: Bearer …`. Default: `process.env.COUNTERSIGN_API_KEY`. */
  apiKey?: string;
  /**
   * The undici dispatcher (connection pool) to send through, e.g. an `Agent` with your own
   * keep-alive settings. Default: undici's global dispatcher, which keeps connections alive.
   */
  dispatcher?: Dispatcher;
  /** Retry budget and backoff for idempotent calls, SSE reconnects included. */
  retry?: RetryOptions;
  /**
   * How long one attempt may take before it counts as a network failure (for long-polls: on top
   * of the poll time; for SSE: until the response headers arrive). Default: 30,000 ms.
   */
  requestTimeoutMs?: number;
  /**
   * An open event stream that sends nothing (not even a keep-alive comment) for this long counts
   * as dropped and is reconnected. Default: 45,000 ms (three missed 15-second keep-alives).
   */
  sseIdleTimeoutMs?: number;
  /** The `User-Agent` header. Default: `countersign-core/VERSION node/VERSION`. */
  userAgent?: string;
  /**
   * How long a wait rides out a server that cannot be reached or answers 5xx (a restart, a rolling
   * deploy) before it rejects with `service_unavailable`: it keeps reconnecting with backoff, and
   * never past the request's deadline. Counted from when the `retry` budget first runs out; any
   * answer from the server starts the count afresh. `0` gives up with the retry budget.
   * Default: 30,000 ms.
   */
  reconnectWindowMs?: number;
}

/** Options after defaults, as the client uses them. */
export interface ResolvedClientOptions {
  baseUrl: URL;
  apiKey: string | undefined;
  dispatcher: Dispatcher | undefined;
  retry: Required<RetryOptions>;
  requestTimeoutMs: number;
  sseIdleTimeoutMs: number;
  userAgent: string;
  reconnectWindowMs: number;
}

const CLIENT_VERSION = '0.1.0';

function invalidConfig(message: string): CountersignError {
  return new CountersignError('validation_failed', { message });
}

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) {
    throw invalidConfig(`CountersignClient: ${name} must be a number >= ${min}, got ${value}`);
  }
  return value;
}

function parseBaseUrl(raw: string | undefined): URL {
  const text = raw?.trim();
  if (!text) {
    throw invalidConfig(
      'CountersignClient: no base URL. Pass { baseUrl } or set COUNTERSIGN_URL (e.g. http://127.0.0.1:8787)',
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new CountersignError('validation_failed', {
      message: `CountersignClient: the base URL "${text}" is not a valid URL`,
      cause,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidConfig(`CountersignClient: the base URL must be http or https, got "${text}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw invalidConfig(
      `CountersignClient: the base URL "${text}" must not carry a query, fragment or credentials`,
    );
  }
  // Paths are joined relative to the base, so it must end with a slash.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Applies defaults (environment included) and rejects bad configuration with a clear message. */
export function resolveClientOptions(options: CountersignClientOptions): ResolvedClientOptions {
  const apiKey = (options.apiKey ?? process.env.COUNTERSIGN_API_KEY)?.trim();
  const retry = options.retry ?? {};
  return {
    baseUrl: parseBaseUrl(options.baseUrl ?? process.env.COUNTERSIGN_URL),
    apiKey: apiKey ? apiKey : undefined,
    dispatcher: options.dispatcher,
    retry: {
      maxRetries: Math.floor(positive('retry.maxRetries', retry.maxRetries, 3, 0)),
      initialDelayMs: positive('retry.initialDelayMs', retry.initialDelayMs, 200, 0),
      maxDelayMs: positive('retry.maxDelayMs', retry.maxDelayMs, 5_000, 0),
    },
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    sseIdleTimeoutMs: positive('sseIdleTimeoutMs', options.sseIdleTimeoutMs, 45_000),
    userAgent:
      options.userAgent ?? `countersign-core/${CLIENT_VERSION} node/${process.versions.node}`,
    reconnectWindowMs: positive('reconnectWindowMs', options.reconnectWindowMs, 30_000, 0),
  };
}

import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, request } from 'undici';
import {
  type CountersignError,
  InvalidResponseError,
  ServiceUnavailableError,
} from '../errors/index.js';
import { traceparentOf } from '../telemetry/traceparent.js';
import { abortedError, sleep, throwIfAborted } from './abort.js';
import type { ResolvedClientOptions } from './client-options.js';
import { errorForStatus, parseJsonBody } from './response-errors.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy.js';

/** Something that validates a JSON body: the core zod schemas fit. */
export interface BodySchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** One API call. */
export interface HttpCall<T> {
  method: 'GET' | 'POST' | 'PATCH';
  /** Relative to the base URL, e.g. `v1/requests`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** True when repeating the call cannot apply it twice, so every failure may be retried. */
  idempotent: boolean;
  schema: BodySchema<T>;
  signal?: AbortSignal | undefined;
  /** Overrides the per-attempt timeout. */
  timeoutMs?: number;
  /** Accept a 2xx body of any content type, handing the schema the raw text (health checks). */
  anyContentType?: boolean;
}

/** A failed attempt that may be tried again. */
export interface RetryableFailure {
  error: CountersignError;
  retryAfterMs: number | undefined;
  /** True when the server certainly did not act on the call (refused connection, 429). */
  unprocessed: boolean;
}

/** An open response whose body the caller reads. */
export interface OpenResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
}

/** No protocol answer comes near this; a bigger body is refused rather than buffered. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

async function readLimited(body: AsyncIterable<unknown>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > limit) {
      throw new InvalidResponseError({
        message: `Countersign sent a body larger than ${limit} bytes`,
        details: { limit },
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isConnectionRefused(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth += 1) {
    if ((current as { code?: unknown }).code === 'ECONNREFUSED') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Sends API calls with undici: headers, per-attempt timeouts, validation and retries. */
export class HttpTransport {
  readonly #options: ResolvedClientOptions;

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
  }

  /** The retry settings, for callers that run their own reconnect loops. */
  get options(): ResolvedClientOptions {
    return this.#options;
  }

  /** Sends `call`, retrying what may be retried, and returns its validated body. */
  async send<T>(call: HttpCall<T>): Promise<T> {
    const { retry } = this.#options;
    for (let attempt = 0; ; attempt += 1) {
      throwIfAborted(call.signal);
      const outcome = await this.#attempt(call);
      if ('value' in outcome) return outcome.value;
      const retryable = call.idempotent || outcome.failure.unprocessed;
      if (!retryable || attempt >= retry.maxRetries) {
        throw this.#withAttempts(outcome.failure.error, attempt + 1);
      }
      await sleep(backoffDelay(attempt, retry, outcome.failure.retryAfterMs), call.signal);
    }
  }

  /**
   * Opens a response without reading its body (for event streams). Rejects with an `aborted`
   * error when `signal` fires; a network failure comes back as a {@link RetryableFailure}.
   */
  async open(
    call: Omit<HttpCall<never>, 'schema' | 'idempotent'> & { bodyTimeoutMs: number },
  ): Promise<OpenResponse | RetryableFailure> {
    const signal = call.signal;
    const timeoutMs = call.timeoutMs ?? this.#options.requestTimeoutMs;
    try {
      const response = await request(this.#url(call), {
        ...this.#requestInit(call),
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: call.bodyTimeoutMs,
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (cause) {
      if (signal?.aborted) throw abortedError(signal);
      return this.#networkFailure(cause, false);
    }
  }

  async #attempt<T>(call: HttpCall<T>): Promise<{ value: T } | { failure: RetryableFailure }> {
    const timeoutMs = call.timeoutMs ?? this.#options.requestTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let status: number;
    let headers: IncomingHttpHeaders;
    let text: string;
    try {
      const response = await request(this.#url(call), { ...this.#requestInit(call), signal });
      status = response.statusCode;
      headers = response.headers;
      text = await readLimited(response.body, MAX_BODY_BYTES);
    } catch (cause) {
      if (call.signal?.aborted) throw abortedError(call.signal);
      if (cause instanceof InvalidResponseError) throw cause;
      return { failure: this.#networkFailure(cause, timeout.aborted, timeoutMs) };
    }
    if (status >= 200 && status < 300) {
      const json = call.anyContentType
        ? text
        : parseJsonBody(status, String(headers['content-type'] ?? ''), text);
      const parsed = call.schema.safeParse(json);
      if (parsed.success) return { value: parsed.data };
      throw new InvalidResponseError({
        message: `Countersign answered ${call.method} /${call.path} with a body that does not match the protocol`,
        cause: parsed.error,
        details: { status },
      });
    }
    const error = errorForStatus(status, text);
    if (!isRetryableStatus(status)) throw error;
    return {
      failure: {
        error,
        retryAfterMs: parseRetryAfter(headers['retry-after']),
        unprocessed: status === 429,
      },
    };
  }

  #networkFailure(cause: unknown, timedOut: boolean, timeoutMs = 0): RetryableFailure {
    const where = this.#options.baseUrl.origin;
    const message = timedOut
      ? `Countersign at ${where} did not answer within ${timeoutMs} ms`
      : `Could not reach Countersign at ${where}: ${(cause as Error)?.message ?? String(cause)}`;
    return {
      error: new ServiceUnavailableError({ message, cause }),
      retryAfterMs: undefined,
      unprocessed: !timedOut && isConnectionRefused(cause),
    };
  }

  #withAttempts(error: CountersignError, attempts: number): CountersignError {
    if (attempts > 1) Object.assign(error.details, { attempts });
    return error;
  }

  #url(call: Pick<HttpCall<unknown>, 'path' | 'query'>): URL {
    const url = new URL(call.path, this.#options.baseUrl);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  #requestInit(call: Pick<HttpCall<unknown>, 'method' | 'body' | 'headers'>) {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.#options.userAgent,
      ...call.headers,
    };
    if (this.#options.apiKey) headers.authorization = `Bearer ${this.#options.apiKey}`;
    // The server parents its spans for this call (and stores it on a new request) under ours.
    const traceparent = traceparentOf();
    if (traceparent !== undefined) headers.traceparent = traceparent;
    let body: string | undefined;
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    return {
      method: call.method,
      headers,
      body,
      ...(this.#options.dispatcher ? { dispatcher: this.#options.dispatcher } : {}),
    };
  }
}

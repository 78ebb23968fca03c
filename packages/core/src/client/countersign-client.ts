import { InvalidResponseError } from '../errors/index.js';
import {
  type ApprovalRequest,
  approvalRequestSchema,
  type CancelInput,
  type CreateGrantInput,
  type CreateRequestInput,
  type DecisionInput,
  type Grant,
  grantListSchema,
  grantSchema,
  type RequestList,
  requestListSchema,
  type UpdateRequestInput,
} from '../protocol/index.js';
import { throwIfAborted } from './abort.js';
import { type CountersignClientOptions, resolveClientOptions } from './client-options.js';
import type {
  ApprovalService,
  CallOptions,
  CreateOptions,
  ListFilters,
  WaitOptions,
} from './client-types.js';
import { type BodySchema, HttpTransport } from './http-transport.js';
import { waitForRequest } from './request-wait.js';
import { requestPath } from './wait-context.js';

/** What {@link CountersignClient.health} reports. */
export interface HealthReport {
  /** Always `true`: an unhealthy server makes `health()` reject. */
  ok: true;
  /** The round trip in milliseconds. */
  latencyMs: number;
}

const anyBody: BodySchema<unknown> = { safeParse: (value) => ({ success: true, data: value }) };

/**
 * The Countersign HTTP client (undici). Every response is validated against the protocol schemas;
 * idempotent calls are retried with exponential backoff and full jitter, honouring `Retry-After`.
 *
 * Errors: an API error body becomes an `ApiError` (its `code` and `status`); network failures, 5xx
 * and retries running out become a `ServiceUnavailableError` (with `cause`); anything that is not
 * the protocol becomes an `InvalidResponseError`; an aborted signal rejects with code `aborted`.
 *
 * @example
 * ```ts
 * const client = new CountersignClient({ baseUrl: 'http://127.0.0.1:8787', apiKey });
 * const request = await client.create({ action: 'Deploy v2.4.1 to prod' }, { idempotencyKey });
 * const done = await client.wait(request.id, { timeoutMs: 60_000 });
 * ```
 */
export class CountersignClient implements ApprovalService {
  readonly #transport: HttpTransport;

  /**
   * @throws CountersignError (`validation_failed`) when the base URL is missing (neither
   * `baseUrl` nor `COUNTERSIGN_URL`) or malformed, or a numeric option is out of range.
   */
  constructor(options: CountersignClientOptions = {}) {
    this.#transport = new HttpTransport(resolveClientOptions(options));
  }

  /** The base URL requests go to, normalised to end with `/`. */
  get baseUrl(): string {
    return this.#transport.options.baseUrl.href;
  }

  /**
   * Creates a request (`POST /v1/requests`). With an `idempotencyKey` it is sent as
   * `Idempotency-Key` and the call is retried: the server returns the original request on replay.
   */
  create(body: CreateRequestInput, options: CreateOptions = {}): Promise<ApprovalRequest> {
    const key = options.idempotencyKey;
    return this.#transport.send({
      method: 'POST',
      path: 'v1/requests',
      body,
      headers: key === undefined ? {} : { 'idempotency-key': key },
      idempotent: key !== undefined,
      schema: approvalRequestSchema,
      signal: options.signal,
    });
  }

  /** Reads one request (`GET /v1/requests/:id`). */
  async get(id: string, options: CallOptions = {}): Promise<ApprovalRequest> {
    const request = await this.#transport.send({
      method: 'GET',
      path: requestPath(id),
      idempotent: true,
      schema: approvalRequestSchema,
      signal: options.signal,
    });
    return sameRequest(id, request);
  }

  /** Lists requests (`GET /v1/requests`); pass `nextCursor` back as `cursor` for the next page. */
  list(filters: ListFilters = {}): Promise<RequestList> {
    const { signal, ...query } = filters;
    return this.#transport.send({
      method: 'GET',
      path: 'v1/requests',
      query,
      idempotent: true,
      schema: requestListSchema,
      signal,
    });
  }

  /**
   * Resolves with the request once it is terminal: SSE first, reconnecting with `Last-Event-ID`
   * (and re-reading the request after each reconnect so nothing decided meanwhile is missed),
   * falling back to long-polling when the server has no event stream. With `timeoutMs`, resolves
   * with the request as it then stands (still `pending`). Rejects when failures outlast the retry
   * budget: treat that as "unavailable" and do not run the action.
   */
  wait(id: string, options: WaitOptions = {}): Promise<ApprovalRequest> {
    return waitForRequest(id, options, {
      transport: this.#transport,
      get: (signal) => this.get(id, signal ? { signal } : {}),
      check: (request) => sameRequest(id, request),
    });
  }

  /**
   * Records a decision (`POST /v1/requests/:id/decisions`). Retried only with `expectedVersion`,
   * which makes a repeat fail with a 409 instead of deciding twice.
   */
  async decide(
    id: string,
    body: DecisionInput,
    options: CallOptions = {},
  ): Promise<ApprovalRequest> {
    return sameRequest(id, await this.#postVersioned(requestPath(id, '/decisions'), body, options));
  }

  /** Cancels a pending request (`POST /v1/requests/:id/cancel`); retried only with `expectedVersion`. */
  async cancel(
    id: string,
    body: CancelInput = {},
    options: CallOptions = {},
  ): Promise<ApprovalRequest> {
    return sameRequest(id, await this.#postVersioned(requestPath(id, '/cancel'), body, options));
  }

  /**
   * Changes a pending request's deadline, assignees or reminders (`PATCH /v1/requests/:id`). The
   * required `expectedVersion` makes it safe to retry.
   */
  async update(
    id: string,
    body: UpdateRequestInput,
    options: CallOptions = {},
  ): Promise<ApprovalRequest> {
    const request = await this.#transport.send({
      method: 'PATCH',
      path: requestPath(id),
      body,
      idempotent: true,
      schema: approvalRequestSchema,
      signal: options.signal,
    });
    return sameRequest(id, request);
  }

  /** Lists the grants the key may see (`GET /v1/grants`); `status: 'all'` includes ended ones. */
  listGrants(filters: { status?: 'active' | 'all'; limit?: number } & CallOptions = {}) {
    const { signal, ...query } = filters;
    return this.#transport.send({
      method: 'GET',
      path: 'v1/grants',
      query,
      idempotent: true,
      schema: grantListSchema,
      signal,
    });
  }

  /** Makes a grant directly (`POST /v1/grants`, admins). Not retried: a repeat is a second grant. */
  createGrant(body: CreateGrantInput, options: CallOptions = {}): Promise<Grant> {
    return this.#transport.send({
      method: 'POST',
      path: 'v1/grants',
      body,
      idempotent: false,
      schema: grantSchema,
      signal: options.signal,
    });
  }

  /** Revokes a grant (`POST /v1/grants/:id/revoke`); not retried: a repeat is a 409. */
  revokeGrant(id: string, body: { reason?: string } = {}, options: CallOptions = {}) {
    return this.#transport.send({
      method: 'POST',
      path: `v1/grants/${encodeURIComponent(id)}/revoke`,
      body,
      idempotent: false,
      schema: grantSchema,
      signal: options.signal,
    });
  }

  /** Checks `GET /healthz`; rejects with `ServiceUnavailableError` when the server is not healthy. */
  async health(options: CallOptions = {}): Promise<HealthReport> {
    throwIfAborted(options.signal);
    const started = performance.now();
    await this.#transport.send({
      method: 'GET',
      path: 'healthz',
      idempotent: true,
      schema: anyBody,
      signal: options.signal,
      anyContentType: true,
    });
    return { ok: true, latencyMs: performance.now() - started };
  }

  #postVersioned(
    path: string,
    body: { expectedVersion?: number },
    options: CallOptions,
  ): Promise<ApprovalRequest> {
    return this.#transport.send({
      method: 'POST',
      path,
      body,
      idempotent: body.expectedVersion !== undefined,
      schema: approvalRequestSchema,
      signal: options.signal,
    });
  }
}

/** Refuses an answer about another request than the one asked for. */
function sameRequest(id: string, request: ApprovalRequest): ApprovalRequest {
  if (request.id === id) return request;
  throw new InvalidResponseError({
    message: `Asked for request ${id}, Countersign answered with request ${request.id}`,
    details: { expected: id, actual: request.id },
  });
}

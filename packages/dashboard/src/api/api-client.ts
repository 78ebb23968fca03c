import {
  ApiError,
  type ApprovalRequest,
  type DecisionInput,
  type Grant,
  type GrantOptions,
  InvalidResponseError,
  isErrorCode,
  type RequestList,
  ServiceUnavailableError,
} from '@countersign/core/protocol';
import {
  type Me,
  parseApprovalRequest,
  parseGrantOptions,
  parseMe,
  parseRequestList,
} from './parse-response';

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8787`; the dashboard uses its own origin. */
  baseUrl: string;
  /** The reviewer's API key, sent as a Bearer token and never put in a URL. */
  apiKey?: string;
  /**
   * The CSRF token of a signed-in session (`GET /auth/session`): without a key the browser's
   * session cookie authenticates, and every change carries this token as `X-CSRF-Token`.
   */
  csrfToken?: string;
}

/** Filters of `GET /v1/requests`. */
export interface ListQuery {
  status?: string;
  kind?: string;
  assignee?: string;
  requester?: string;
  cursor?: string;
  limit?: number;
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })
    ?.error;
  const code = isErrorCode(error?.code) ? error.code : status >= 500 ? 'internal' : 'conflict';
  const message =
    typeof error?.message === 'string' ? error.message : `The server answered ${status}`;
  const details =
    typeof error?.details === 'object' && error.details !== null
      ? (error.details as Record<string, unknown>)
      : {};
  return new ApiError(code, { message, status, details });
}

/** A small client of the Countersign HTTP API for the browser (fetch, Bearer key). */
export class ApiClient {
  readonly #options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.#options = options;
  }

  /** An absolute URL on the server for an API path such as `/v1/requests`. */
  url(path: string): string {
    return new URL(path, this.#options.baseUrl).toString();
  }

  /** Whether the session cookie (not a key) authenticates this client. */
  get usesSession(): boolean {
    return this.#options.apiKey === undefined;
  }

  /** The headers that authenticate a request: the key, or the CSRF token for a change. */
  authHeaders(method: string): Record<string, string> {
    if (this.#options.apiKey !== undefined)
      return { authorization: `Bearer ${this.#options.apiKey}` };
    const safe = method === 'GET' || method === 'HEAD';
    return safe || !this.#options.csrfToken ? {} : { 'x-csrf-token': this.#options.csrfToken };
  }

  /** Sends a request and returns the raw response text, throwing `ApiError` for non-2xx answers. */
  async send(method: string, path: string, body?: unknown, accept = 'application/json') {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers: {
          ...this.authHeaders(method),
          // Labels this client's decisions `dashboard` in the server's metrics.
          'x-countersign-channel': 'dashboard',
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch (cause) {
      throw new ServiceUnavailableError({ message: 'Cannot reach the Countersign server', cause });
    }
    const text = await response.text();
    if (!response.ok) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      throw toApiError(response.status, parsed);
    }
    return text;
  }

  async #json(method: string, path: string, body?: unknown): Promise<unknown> {
    const text = await this.send(method, path, body);
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new InvalidResponseError({
        message: 'The server sent something that is not JSON',
        cause,
      });
    }
  }

  /** Who the key belongs to. */
  async me(): Promise<Me> {
    return parseMe(await this.#json('GET', '/v1/me'));
  }

  /** One page of requests the reviewer may see. */
  async listRequests(query: ListQuery = {}): Promise<RequestList> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.size > 0 ? `?${params}` : '';
    return parseRequestList(await this.#json('GET', `/v1/requests${search}`));
  }

  /** One request. */
  async getRequest(id: string): Promise<ApprovalRequest> {
    return parseApprovalRequest(await this.#json('GET', `/v1/requests/${encodeURIComponent(id)}`));
  }

  /** Whether approving the request may add a grant, and the choices within the server's caps. */
  async grantOptions(id: string): Promise<GrantOptions> {
    const path = `/v1/requests/${encodeURIComponent(id)}/grant-options`;
    return parseGrantOptions(await this.#json('GET', path));
  }

  /** The grants this key may see; `all` includes revoked, expired and used-up ones. */
  async listGrants(all = false): Promise<Grant[]> {
    const answer = await this.#json('GET', `/v1/grants?status=${all ? 'all' : 'active'}&limit=500`);
    const items = (answer as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) {
      throw new InvalidResponseError({ message: 'The server sent an invalid grant list' });
    }
    return items as Grant[];
  }

  /** Revokes a grant (its granter or an admin). */
  async revokeGrant(id: string): Promise<Grant> {
    return (await this.#json('POST', `/v1/grants/${encodeURIComponent(id)}/revoke`, {})) as Grant;
  }

  /** Records a decision; a stale `expectedVersion` or a finished request is an `ApiError` 409. */
  async decide(id: string, body: DecisionInput): Promise<ApprovalRequest> {
    const path = `/v1/requests/${encodeURIComponent(id)}/decisions`;
    const answer = await this.#json('POST', path, body);
    // Accept either the request itself or `{ request }` wrapping it.
    const wrapped = typeof answer === 'object' && answer !== null && 'request' in answer;
    return parseApprovalRequest(wrapped ? (answer as { request: unknown }).request : answer);
  }
}

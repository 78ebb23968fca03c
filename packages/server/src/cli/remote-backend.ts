import { CountersignError, type Grant, isErrorCode } from '@countersign/core/protocol';
import type { Backend } from './backend.js';
import { CliError } from './cli-support.js';

/** Sends one API call to `url` with an API key; a non-2xx answer throws its error code and message. */
export type ApiCall = (method: string, path: string, body?: unknown) => Promise<Response>;

/** An {@link ApiCall} to the server at `url`. */
export function apiCaller(url: string, apiKey: string): ApiCall {
  const base = url.replace(/\/+$/, '');
  return async function call(method, path, body) {
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          // Labels its decisions `cli` in the server's metrics (see httpDecisionChannel).
          'x-countersign-channel': 'cli',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new CliError(`Cannot reach ${base}: ${error instanceof Error ? error.message : error}`);
    }
    if (response.ok) return response;
    const text = await response.text();
    let parsed: { error?: { code?: unknown; message?: unknown } } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: reported below with the status
    }
    const code = parsed.error?.code;
    const message =
      typeof parsed.error?.message === 'string' ? parsed.error.message : `HTTP ${response.status}`;
    throw new CountersignError(isErrorCode(code) ? code : 'invalid_response', { message });
  };
}

/** Talks to a running server at `url` with an API key. */
export function remoteBackend(url: string, apiKey: string): Backend {
  const call = apiCaller(url, apiKey);
  const json = async <T>(method: string, path: string, body?: unknown) =>
    (await (await call(method, path, body)).json()) as T;
  return {
    list: (options) => {
      const query = new URLSearchParams();
      if (options.status) query.set('status', options.status);
      if (options.limit) query.set('limit', String(options.limit));
      return json('GET', `/v1/requests?${query}`);
    },
    get: (id) => json('GET', `/v1/requests/${encodeURIComponent(id)}`),
    decide: (id, body) => json('POST', `/v1/requests/${encodeURIComponent(id)}/decisions`, body),
    async auditExport(options, write) {
      const query = new URLSearchParams({ format: options.format });
      for (const key of ['requestId', 'from', 'to'] as const) {
        if (options[key]) query.set(key, options[key] as string);
      }
      const response = await call('GET', `/v1/audit?${query}`);
      write(await response.text());
    },
    auditVerify: () => json('GET', '/v1/audit/verify'),
    listGrants: async (options) =>
      (
        await json<{ items: Grant[] }>(
          'GET',
          `/v1/grants?status=${options.all ? 'all' : 'active'}&limit=500`,
        )
      ).items,
    createGrant: (body) => json('POST', '/v1/grants', body),
    revokeGrant: (id, reason) =>
      json('POST', `/v1/grants/${encodeURIComponent(id)}/revoke`, reason ? { reason } : {}),
    async close() {},
  };
}

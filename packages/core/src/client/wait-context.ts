import type { ApprovalRequest, RequestEvent } from '../protocol/index.js';
import type { HttpTransport } from './http-transport.js';

/** What a wait strategy (SSE or long-poll) needs from the client. */
export interface WaitContext {
  /** The request being waited on. */
  id: string;
  transport: HttpTransport;
  /** Fires on the caller's abort and when the wait's own timeout passes. */
  signal: AbortSignal;
  /** Reads the request afresh (with the client's retries). */
  get(signal: AbortSignal): Promise<ApprovalRequest>;
  /** Records the latest state seen, returned if the wait times out. */
  remember(request: ApprovalRequest): void;
  /** Milliseconds left before the wait's timeout, or `undefined` without one. */
  remainingMs(): number | undefined;
  onEvent: ((event: RequestEvent) => void) | undefined;
}

/** Returned by the SSE strategy when the server offers no usable event stream. */
export interface SseUnsupported {
  unsupported: true;
  /** Why, as an error: thrown when the caller asked for SSE only. */
  reason: Error;
}

/** The path of one request's sub-resource. */
export function requestPath(id: string, suffix = ''): string {
  return `v1/requests/${encodeURIComponent(id)}${suffix}`;
}

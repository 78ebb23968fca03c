import type { ApprovalService, CallOptions } from '../client/client-types.js';
import type { ApprovalRequest, DecisionInput, RequestEvent } from '../protocol/index.js';

/** Options for {@link createFakeApprovalService}. */
export interface FakeApprovalServiceOptions {
  /** The principal recorded as every request's requester. Default: `agent:test`. */
  requester?: string;
  /** The principal recorded for decisions made without one. Default: `user:reviewer`. */
  reviewer?: string;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
  /**
   * Called after each new request is stored. Return a decision to apply at once (to script an
   * auto-approving or auto-rejecting reviewer), or nothing to leave it pending.
   */
  onCreate?: (request: ApprovalRequest) => DecisionInput | undefined;
}

/** One call made on the fake, in order. */
export interface FakeCall {
  method: 'create' | 'get' | 'list' | 'wait' | 'decide' | 'cancel' | 'update';
  /** The request id, for calls about one request. */
  id?: string;
  /** The body or filters passed. */
  body?: unknown;
  /** The idempotency key, for `create`. */
  idempotencyKey?: string;
}

/** Options of {@link FakeApprovalService.decide}: who decides. */
export interface FakeDecideOptions extends CallOptions {
  /** The deciding principal. Default: the fake's `reviewer`. */
  principal?: string;
}

/**
 * An in-memory {@link ApprovalService} for unit tests of the gate and the adapters. It validates
 * bodies with the protocol schemas and applies the server's rules (idempotency, quorum, version
 * checks, terminal requests), but it is a fake: integration tests use the real server. One contract
 * suite (`test/core/approval-service-contract.ts`) runs against it and against the real server, so
 * the two answer alike. It does not model roles, assignee groups or JSON Schema checks.
 */
export interface FakeApprovalService extends ApprovalService {
  /** Every call made through the {@link ApprovalService} methods, in order. */
  readonly calls: FakeCall[];
  /** Every request (copies), oldest first. */
  requests(): ApprovalRequest[];
  /** The events of one request (copies), in order. */
  events(id: string): RequestEvent[];
  /** Decides as `options.principal` (default: the fake's reviewer). */
  decide(id: string, body: DecisionInput, options?: FakeDecideOptions): Promise<ApprovalRequest>;
  /** Moves a pending request to `expired`, as its deadline would. */
  expire(id: string): ApprovalRequest;
  /** Resolves with the first request (existing or future) that matches `predicate`. */
  waitForRequest(predicate?: (request: ApprovalRequest) => boolean): Promise<ApprovalRequest>;
  /**
   * Makes every following call reject with `error` (for example a `ServiceUnavailableError`) until
   * called again with `undefined`. Helpers (`expire`, `requests`, `events`) keep working.
   */
  failWith(error: unknown): void;
}

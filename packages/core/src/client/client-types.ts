import type {
  ApprovalRequest,
  CancelInput,
  CreateRequestInput,
  DecisionInput,
  RequestEvent,
  RequestKind,
  RequestList,
  RequestStatus,
  UpdateRequestInput,
} from '../protocol/index.js';

/** Options shared by every client call. */
export interface CallOptions {
  /** Aborts the call; the promise rejects with an `aborted` error. */
  signal?: AbortSignal;
}

/** Options for {@link ApprovalService.create}. */
export interface CreateOptions extends CallOptions {
  /**
   * Makes the create idempotent: the same key and body return the original request instead of a
   * new one. The gate derives it from run id + tool call id + fingerprint.
   */
  idempotencyKey?: string;
}

/** Options for {@link ApprovalService.wait}. */
export interface WaitOptions extends CallOptions {
  /**
   * Give up waiting after this many milliseconds and resolve with the request as it then stands
   * (still `pending`). Default: wait until the request is terminal or the signal aborts.
   */
  timeoutMs?: number;
  /** `auto` (default) tries SSE first and falls back to long-polling. */
  transport?: 'auto' | 'sse' | 'long-poll';
  /** Called for each event seen while waiting (SSE only). */
  onEvent?: (event: RequestEvent) => void;
}

/** Filters for {@link ApprovalService.list}. */
export interface ListFilters extends CallOptions {
  status?: RequestStatus;
  assignee?: string;
  requester?: string;
  kind?: RequestKind;
  cursor?: string;
  limit?: number;
}

/**
 * What the gate and the adapters need from the approval service. `CountersignClient` implements it;
 * tests may pass a fake.
 */
export interface ApprovalService {
  create(body: CreateRequestInput, options?: CreateOptions): Promise<ApprovalRequest>;
  get(id: string, options?: CallOptions): Promise<ApprovalRequest>;
  list(filters?: ListFilters): Promise<RequestList>;
  /** Resolves with the request once it is terminal (or when `timeoutMs` passes, still pending). */
  wait(id: string, options?: WaitOptions): Promise<ApprovalRequest>;
  decide(id: string, body: DecisionInput, options?: CallOptions): Promise<ApprovalRequest>;
  cancel(id: string, body?: CancelInput, options?: CallOptions): Promise<ApprovalRequest>;
  update(id: string, body: UpdateRequestInput, options?: CallOptions): Promise<ApprovalRequest>;
}

import type {
  ApprovalRequest,
  CancelInput,
  CreateRequestInput,
  DecisionInput,
  ExecutionReportInput,
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
  /** Only requests with this status. */
  status?: RequestStatus;
  /** Only requests assigned to this principal or group, e.g. `user:alice` or `group:legal`. */
  assignee?: string;
  /** Only requests created by this principal, e.g. `agent:billing-bot`. */
  requester?: string;
  /** Only requests of this kind. */
  kind?: RequestKind;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** The page size (the server caps it). */
  limit?: number;
}

/**
 * What the gate and the adapters need from the approval service. `CountersignClient` implements it;
 * tests may pass a fake.
 */
export interface ApprovalService {
  /** Creates a request; with `idempotencyKey`, a repeat returns the original request. */
  create(body: CreateRequestInput, options?: CreateOptions): Promise<ApprovalRequest>;
  /** Reads one request. */
  get(id: string, options?: CallOptions): Promise<ApprovalRequest>;
  /** Lists requests the caller may see, one page at a time. */
  list(filters?: ListFilters): Promise<RequestList>;
  /** Resolves with the request once it is terminal (or when `timeoutMs` passes, still pending). */
  wait(id: string, options?: WaitOptions): Promise<ApprovalRequest>;
  /** Records a reviewer's decision; a decision on a terminal request is refused (409). */
  decide(id: string, body: DecisionInput, options?: CallOptions): Promise<ApprovalRequest>;
  /** Withdraws a pending request (it becomes `cancelled`, never a rejection). */
  cancel(id: string, body?: CancelInput, options?: CallOptions): Promise<ApprovalRequest>;
  /** Changes a pending request's deadline, assignees or reminders, guarded by `expectedVersion`. */
  update(id: string, body: UpdateRequestInput, options?: CallOptions): Promise<ApprovalRequest>;
  /**
   * Reports running an approved call (`executing`, then `succeeded` or `failed`); `executing` is
   * refused with a 409 once another attempt reported it. Optional: a service without it gets no
   * reports, and its approvals can be handed out again.
   */
  reportExecution?(
    id: string,
    body: ExecutionReportInput,
    options?: CallOptions,
  ): Promise<ApprovalRequest>;
}

import type {
  CallOptions,
  CreateOptions,
  ListFilters,
  WaitOptions,
} from '../client/client-types.js';
import { ApiError } from '../errors/index.js';
import { canonicalJson } from '../fingerprint/index.js';
import {
  type ApprovalRequest,
  type CancelInput,
  type CreateRequestInput,
  cancelBodySchema,
  type DecisionInput,
  type RequestEvent,
  type RequestEventType,
  type RequestList,
  type UpdateRequestInput,
  updateRequestBodySchema,
} from '../protocol/index.js';
import { applyFakeDecision } from './fake-decisions.js';
import {
  applyUpdate,
  buildRequest,
  parseCreateBody,
  parseDecisionBody,
  parseOrReject,
} from './fake-request-builder.js';
import { checkPending, checkVersion, listPage, notFound } from './fake-rules.js';
import type {
  FakeApprovalService,
  FakeApprovalServiceOptions,
  FakeCall,
  FakeDecideOptions,
} from './fake-types.js';
import { FakeWaiters } from './fake-waiters.js';

/** Creates a {@link FakeApprovalService}. */
export function createFakeApprovalService(
  options: FakeApprovalServiceOptions = {},
): FakeApprovalService {
  const requester = options.requester ?? 'agent:test';
  const reviewer = options.reviewer ?? 'user:reviewer';
  const now = options.now ?? Date.now;
  const store = new Map<string, ApprovalRequest>();
  const history = new Map<string, RequestEvent[]>();
  const idempotency = new Map<string, { body: string; id: string }>();
  const waiters = new FakeWaiters();
  const calls: FakeCall[] = [];
  const requestWatchers = new Set<(request: ApprovalRequest) => boolean>();
  let failure: unknown;
  let counter = 0;

  const find = (id: string): ApprovalRequest => {
    const request = store.get(id);
    if (request) return request;
    throw notFound(id);
  };
  const record = (call: FakeCall): void => {
    calls.push(call);
    if (failure !== undefined) throw failure;
  };
  const emit = (
    request: ApprovalRequest,
    type: RequestEventType,
    actor?: string,
    data: Record<string, unknown> = {},
  ): void => {
    const events = history.get(request.id) ?? [];
    const seq = events.length + 1;
    const event: RequestEvent = {
      id: `${request.id}:${seq}`,
      requestId: request.id,
      seq,
      type,
      at: request.updatedAt,
      version: request.version,
      data,
      request: structuredClone(request),
      ...(actor === undefined ? {} : { actor }),
    };
    events.push(event);
    history.set(request.id, events);
    waiters.notify(event);
    for (const watcher of requestWatchers) if (watcher(request)) requestWatchers.delete(watcher);
  };
  const touch = (request: ApprovalRequest): void => {
    request.version += 1;
    request.updatedAt = new Date(now()).toISOString();
  };
  const applyDecision = (id: string, input: DecisionInput, principal: string): ApprovalRequest => {
    const body = parseDecisionBody(input);
    const request = find(id);
    checkPending(request);
    checkVersion(request, body.expectedVersion);
    const decidedAt = new Date(now()).toISOString();
    const decisionId = `dec_${request.id}_${request.decisions.length + 1}`;
    const decision = applyFakeDecision(request, body, principal, decidedAt, decisionId);
    touch(request);
    emit(request, 'decided', principal, {
      decisionId: decision.id,
      outcome: decision.outcome,
      ...(decision.reason ? { reason: decision.reason } : {}),
      ...(decision.comment ? { comment: decision.comment } : {}),
      ...(decision.fingerprint ? { decisionFingerprint: decision.fingerprint } : {}),
    });
    return structuredClone(request);
  };

  return {
    calls,
    requests: () => [...store.values()].map((request) => structuredClone(request)),
    events: (id) => structuredClone(history.get(id) ?? []),
    failWith(error) {
      failure = error;
    },
    waitForRequest(predicate = () => true) {
      const existing = [...store.values()].find(predicate);
      if (existing) return Promise.resolve(structuredClone(existing));
      return new Promise((resolve) => {
        requestWatchers.add((request) => {
          if (!predicate(request)) return false;
          resolve(structuredClone(request));
          return true;
        });
      });
    },
    expire(id) {
      const request = find(id);
      checkPending(request);
      touch(request);
      request.status = 'expired';
      request.resolution = { status: 'expired', at: request.updatedAt, by: [] };
      emit(request, 'expired', undefined, { deadline: request.deadline ?? request.updatedAt });
      return structuredClone(request);
    },
    async create(input: CreateRequestInput, createOptions: CreateOptions = {}) {
      const key = createOptions.idempotencyKey;
      record({
        method: 'create',
        body: input,
        ...(key === undefined ? {} : { idempotencyKey: key }),
      });
      const body = parseCreateBody(input);
      if (key !== undefined) {
        const seen = idempotency.get(key);
        if (seen && seen.body !== canonicalJson(body)) {
          throw new ApiError('idempotency_conflict', {
            message: 'This Idempotency-Key was used with another body',
            status: 409,
          });
        }
        if (seen) return structuredClone(find(seen.id));
      }
      counter += 1;
      const id = `req_${String(counter).padStart(6, '0')}`;
      const request = buildRequest(id, body, requester, now());
      store.set(id, request);
      if (key !== undefined) idempotency.set(key, { body: canonicalJson(body), id });
      emit(request, 'created', requester, {
        kind: request.kind,
        action: request.action,
        assignees: request.assignees,
      });
      const scripted = options.onCreate?.(structuredClone(request));
      if (scripted) return applyDecision(id, scripted, reviewer);
      return structuredClone(request);
    },
    async get(id, _options?: CallOptions) {
      record({ method: 'get', id });
      return structuredClone(find(id));
    },
    async list(filters: ListFilters = {}): Promise<RequestList> {
      const { signal: _signal, ...body } = filters;
      record({ method: 'list', body });
      return listPage(store.values(), filters);
    },
    async wait(id, waitOptions: WaitOptions = {}) {
      record({ method: 'wait', id });
      const request = find(id);
      if (request.status !== 'pending') return structuredClone(request);
      return waiters.wait(id, () => structuredClone(find(id)), waitOptions);
    },
    async decide(id, body, decideOptions: FakeDecideOptions = {}) {
      record({ method: 'decide', id, body });
      return applyDecision(id, body, decideOptions.principal ?? reviewer);
    },
    async cancel(id, input: CancelInput = {}) {
      record({ method: 'cancel', id, body: input });
      const body = parseOrReject(cancelBodySchema.safeParse(input), 'cancel body');
      const request = find(id);
      checkPending(request);
      checkVersion(request, body.expectedVersion);
      touch(request);
      request.status = 'cancelled';
      request.resolution = {
        status: 'cancelled',
        at: request.updatedAt,
        by: [requester],
        ...(body.reason === undefined ? {} : { reason: body.reason }),
      };
      emit(
        request,
        'cancelled',
        requester,
        body.reason === undefined ? {} : { reason: body.reason },
      );
      return structuredClone(request);
    },
    async update(id, input: UpdateRequestInput) {
      record({ method: 'update', id, body: input });
      const body = parseOrReject(updateRequestBodySchema.safeParse(input), 'update body');
      const request = find(id);
      checkPending(request);
      checkVersion(request, body.expectedVersion);
      touch(request);
      emit(request, 'updated', requester, { changed: applyUpdate(request, body, now()) });
      return structuredClone(request);
    },
  };
}

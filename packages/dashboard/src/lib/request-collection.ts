import type { ApprovalRequest } from '@countersign/core/protocol';

/** Requests by id. Immutable: every change returns a new map. */
export type RequestCollection = ReadonlyMap<string, ApprovalRequest>;

/**
 * Adds or replaces requests, keeping whichever copy has the higher version, so a late page of
 * the initial list never undoes a newer state that arrived over the event stream.
 */
export function upsertRequests(
  collection: RequestCollection,
  incoming: readonly ApprovalRequest[],
): RequestCollection {
  let next: Map<string, ApprovalRequest> | undefined;
  for (const request of incoming) {
    const current = (next ?? collection).get(request.id);
    if (current && current.version >= request.version) continue;
    next ??= new Map(collection);
    next.set(request.id, request);
  }
  return next ?? collection;
}

/** What the reviewer narrows a list by; empty strings mean "any". */
export interface RequestFilter {
  kind: string;
  /** An assignee such as `group:finance`, or `unassigned`. */
  assignee: string;
  /** The requesting principal, such as `agent:billing-bot`. */
  requester: string;
  /** Free text matched against the action, tool, requester, id, reason and context. */
  search: string;
}

/** A filter that lets everything through. */
export const EMPTY_FILTER: RequestFilter = { kind: '', assignee: '', requester: '', search: '' };

function searchableText(request: ApprovalRequest): string {
  const parts = [
    request.id,
    request.action,
    request.question ?? '',
    request.requester,
    request.runId ?? '',
    request.tool?.name ?? '',
    request.resolution?.reason ?? '',
    ...(request.resolution?.by ?? []),
    JSON.stringify(request.context),
    JSON.stringify(request.tool?.args ?? {}),
  ];
  return parts.join('\n').toLowerCase();
}

/** True when a request passes the filter. */
export function matchesFilter(request: ApprovalRequest, filter: RequestFilter): boolean {
  if (filter.kind && request.kind !== filter.kind) return false;
  if (filter.requester && request.requester !== filter.requester) return false;
  if (filter.assignee === 'unassigned' && request.assignees.length > 0) return false;
  if (filter.assignee && filter.assignee !== 'unassigned') {
    if (!request.assignees.includes(filter.assignee)) return false;
  }
  const words = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = searchableText(request);
  return words.every((word) => text.includes(word));
}

/** Pending requests, the most urgent first (earliest deadline, then oldest). */
export function pendingInOrder(collection: RequestCollection): ApprovalRequest[] {
  const far = '9999';
  return [...collection.values()]
    .filter((request) => request.status === 'pending')
    .sort(
      (a, b) =>
        (a.deadline ?? far).localeCompare(b.deadline ?? far) ||
        a.createdAt.localeCompare(b.createdAt),
    );
}

/** Finished requests, the most recently finished first. */
export function finishedInOrder(collection: RequestCollection): ApprovalRequest[] {
  const when = (request: ApprovalRequest) => request.resolution?.at ?? request.updatedAt;
  return [...collection.values()]
    .filter((request) => request.status !== 'pending')
    .sort((a, b) => when(b).localeCompare(when(a)));
}

/** The distinct values seen in a field, for filter menus. */
export function distinctValues(
  requests: Iterable<ApprovalRequest>,
  pick: (request: ApprovalRequest) => readonly string[],
): string[] {
  const values = new Set<string>();
  for (const request of requests) for (const value of pick(request)) values.add(value);
  return [...values].sort();
}

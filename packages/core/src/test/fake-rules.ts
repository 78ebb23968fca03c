import type { ListFilters } from '../client/client-types.js';
import { ApiError } from '../errors/index.js';
import type { ApprovalRequest, RequestList } from '../protocol/index.js';

/** Refuses a change based on a stale version, as the server does (409 `version_conflict`). */
export function checkVersion(request: ApprovalRequest, expected: number | undefined): void {
  if (expected !== undefined && expected !== request.version) {
    throw new ApiError('version_conflict', {
      message: `Request ${request.id} is at version ${request.version}, not ${expected}`,
      status: 409,
      details: { version: request.version },
    });
  }
}

/** Refuses to change a terminal request (409 `already_decided`): never a silent overwrite. */
export function checkPending(request: ApprovalRequest): void {
  if (request.status !== 'pending') {
    throw new ApiError('already_decided', {
      message: `Request ${request.id} is already ${request.status}`,
      status: 409,
      details: { status: request.status },
    });
  }
}

/** The 404 for an unknown request. */
export function notFound(id: string): ApiError {
  return new ApiError('not_found', { message: `No request ${id}`, status: 404 });
}

/**
 * One page of `requests` (oldest first) matching `filters`, newest first as the server lists them;
 * the cursor is the offset of the next page.
 */
export function listPage(requests: Iterable<ApprovalRequest>, filters: ListFilters): RequestList {
  const matches = [...requests]
    .reverse()
    .filter(
      (request) =>
        (filters.status === undefined || request.status === filters.status) &&
        (filters.kind === undefined || request.kind === filters.kind) &&
        (filters.requester === undefined || request.requester === filters.requester) &&
        (filters.assignee === undefined || request.assignees.includes(filters.assignee)),
    );
  const start = filters.cursor === undefined ? 0 : Number(filters.cursor);
  const limit = filters.limit ?? 50;
  const next = start + limit < matches.length ? String(start + limit) : null;
  return { items: structuredClone(matches.slice(start, start + limit)), nextCursor: next };
}

import {
  type ApprovalRequest,
  type GrantOptions,
  InvalidResponseError,
  REQUEST_KINDS,
  REQUEST_STATUSES,
  type RequestEvent,
  type RequestList,
} from '@countersign/core/protocol';

// The dashboard checks the shape lightly instead of bundling the zod schemas: enough to fail
// closed on garbage, small enough to keep the page fast on a phone.
const STATUSES = new Set<string>(REQUEST_STATUSES);
const KINDS = new Set<string>(REQUEST_KINDS);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(what: string, value: unknown): never {
  throw new InvalidResponseError({
    message: `The server sent an invalid ${what}`,
    details: { received: typeof value },
  });
}

/** Checks that a value looks like an {@link ApprovalRequest}; throws `InvalidResponseError` if not. */
export function parseApprovalRequest(value: unknown): ApprovalRequest {
  if (
    !isObject(value) ||
    typeof value.id !== 'string' ||
    typeof value.action !== 'string' ||
    typeof value.requester !== 'string' ||
    typeof value.version !== 'number' ||
    typeof value.quorum !== 'number' ||
    !STATUSES.has(value.status as string) ||
    !KINDS.has(value.kind as string) ||
    !Array.isArray(value.decisions) ||
    !Array.isArray(value.assignees) ||
    !isObject(value.context)
  ) {
    return invalid('request', value);
  }
  if (value.tool !== undefined && (!isObject(value.tool) || !isObject(value.tool.args))) {
    return invalid('request', value);
  }
  return value as unknown as ApprovalRequest;
}

/** Checks a page of requests. */
export function parseRequestList(value: unknown): RequestList {
  if (!isObject(value) || !Array.isArray(value.items)) return invalid('request list', value);
  const nextCursor = typeof value.nextCursor === 'string' ? value.nextCursor : null;
  return { items: value.items.map(parseApprovalRequest), nextCursor };
}

/** Checks one event from the event stream. */
export function parseRequestEvent(value: unknown): RequestEvent {
  if (
    !isObject(value) ||
    typeof value.id !== 'string' ||
    typeof value.requestId !== 'string' ||
    typeof value.type !== 'string' ||
    typeof value.at !== 'string'
  ) {
    return invalid('event', value);
  }
  parseApprovalRequest(value.request);
  return value as unknown as RequestEvent;
}

/** Who is signed in, from `GET /v1/me`. */
export interface Me {
  principal: string;
  role: 'agent' | 'reviewer' | 'admin';
  name: string;
  groups: string[];
}

/** Checks the answer of `GET /v1/me`. */
export function parseMe(value: unknown): Me {
  if (
    !isObject(value) ||
    typeof value.principal !== 'string' ||
    typeof value.name !== 'string' ||
    !['agent', 'reviewer', 'admin'].includes(value.role as string)
  ) {
    return invalid('identity', value);
  }
  const groups = Array.isArray(value.groups)
    ? value.groups.filter((g) => typeof g === 'string')
    : [];
  return { ...(value as unknown as Me), groups };
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Checks the answer of `GET /v1/requests/{id}/grant-options`. */
export function parseGrantOptions(value: unknown): GrantOptions {
  if (isObject(value) && value.allowed === false) return { allowed: false };
  if (
    !isObject(value) ||
    value.allowed !== true ||
    typeof value.exact !== 'string' ||
    (value.bounded !== undefined && typeof value.bounded !== 'string') ||
    !isStrings(value.lifetimes) ||
    !value.lifetimes.includes(value.defaultLifetime as string) ||
    !isStrings(value.appliesTo)
  ) {
    return invalid('grant options', value);
  }
  return value as unknown as GrantOptions;
}

import type { AuditQuery, GrantQuery, RequestQuery } from '../store-types.js';
import { jsonArrayHas, jsonArrayHasAny, jsonArrayIsEmpty } from './dialect.js';
import { allOf, anyOf, type Parameters, type Query, sql } from './sql-template.js';

/** The filtered lists, built per call from the filters given (each condition written once). */

/**
 * Rows (requests, grants) whose `assignees` reach any of `assignees` (`:visibleAssignees`), or
 * that have none: visible to any reviewer.
 */
function assignedTo(assignees: readonly string[] | undefined): Query[] {
  if (!assignees) return [];
  const unassigned = sql`${jsonArrayIsEmpty('assignees')}`;
  if (assignees.length === 0) return [unassigned];
  return [unassigned, sql`${jsonArrayHasAny('assignees', 'visibleAssignees')}`];
}

/** Which requests `query` selects: visible to the caller and matching its filters. */
function requestConditions(query: RequestQuery): Query[] {
  const conditions: Query[] = [];
  const { visibility } = query;
  if (!visibility.all) {
    const visible: Query[] = [];
    if (visibility.requester) visible.push(sql`requester = :visibleRequester`);
    visible.push(...assignedTo(visibility.assignees));
    conditions.push(anyOf(visible));
  }
  if (query.status !== undefined) conditions.push(sql`status = :status`);
  if (query.kind !== undefined) conditions.push(sql`kind = :kind`);
  if (query.requester !== undefined) conditions.push(sql`requester = :requester`);
  if (query.assignee !== undefined) conditions.push(sql`${jsonArrayHas('assignees', 'assignee')}`);
  if (query.before !== undefined) conditions.push(sql`seq < :before`);
  return conditions;
}

/** The position and stored size of each request a page may hold, newest first (one extra row). */
export function requestSizesQuery(query: RequestQuery): { query: Query; parameters: Parameters } {
  return {
    query: sql`SELECT seq, octet_length(doc) AS size FROM requests
      WHERE ${allOf(requestConditions(query))} ORDER BY seq DESC LIMIT :limit OFFSET :offset`,
    parameters: {
      ...query,
      visibleRequester: query.visibility.requester,
      visibleAssignees: query.visibility.assignees,
      limit: query.limit + 1,
      offset: query.offset ?? 0,
    },
  };
}

/** Audit entries after a sequence number, oldest first, within the optional filters. */
export function auditQuery(query: AuditQuery): { query: Query; parameters: Parameters } {
  const conditions = [sql`seq > :afterSeq`];
  if (query.requestId !== undefined) conditions.push(sql`request_id = :requestId`);
  if (query.from !== undefined) conditions.push(sql`at >= :from`);
  if (query.to !== undefined) conditions.push(sql`at < :to`);
  return {
    query: sql`SELECT * FROM audit WHERE ${allOf(conditions)} ORDER BY seq LIMIT :limit`,
    parameters: { ...query, afterSeq: query.afterSeq ?? 0 },
  };
}

/** The grants `query` selects: visible to the caller (and live, if asked), newest first. */
export function grantListQuery(query: GrantQuery): { query: Query; parameters: Parameters } {
  const conditions: Query[] = [];
  const { visibility } = query;
  if (!visibility.all) {
    const visible: Query[] = [];
    if (visibility.grantedBy) visible.push(sql`granted_by = :visibleGrantedBy`);
    visible.push(...assignedTo(visibility.assignees));
    if (visibility.agent) visible.push(sql`(agent IS NULL OR agent = :visibleAgent)`);
    conditions.push(anyOf(visible));
  }
  if (query.liveAt !== undefined) {
    conditions.push(sql`revoked_at IS NULL AND expires_at > :liveAt
      AND (max_uses IS NULL OR uses < max_uses)`);
  }
  return {
    query: sql`SELECT doc, uses, revoked_at FROM grants WHERE ${allOf(conditions)}
      ORDER BY seq DESC LIMIT :limit`,
    parameters: {
      ...query,
      visibleGrantedBy: visibility.grantedBy,
      visibleAssignees: visibility.assignees,
      visibleAgent: visibility.agent,
    },
  };
}

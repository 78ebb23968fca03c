import type { ApprovalRequest } from '@countersign/core/protocol';
import { decodeCursor, encodeCursor, type RequestMethods } from '../store-rows.js';
import type { RequestPage, RequestQuery } from '../store-types.js';
import type { PgSession } from './postgres-session.js';

/** Requests and idempotency keys on PostgreSQL. */
export function postgresRequests(db: PgSession): RequestMethods {
  return {
    async getRequest(id) {
      // Inside a transaction the row stays locked until commit, so concurrent deciders queue.
      const row = await db.one<{ doc: string }>(
        `SELECT doc FROM requests WHERE id = $1${db.locking ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return row ? (JSON.parse(row.doc) as ApprovalRequest) : undefined;
    },
    async insertRequest(request) {
      await db.run(
        'INSERT INTO requests (id, status, kind, requester, assignees, version, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          request.id,
          request.status,
          request.kind,
          request.requester,
          JSON.stringify(request.assignees),
          request.version,
          JSON.stringify(request),
        ],
      );
    },
    async updateRequest(request, previousVersion) {
      const changes = await db.run(
        'UPDATE requests SET status = $1, assignees = $2, version = $3, doc = $4 WHERE id = $5 AND version = $6',
        [
          request.status,
          JSON.stringify(request.assignees),
          request.version,
          JSON.stringify(request),
          request.id,
          previousVersion,
        ],
      );
      return changes === 1;
    },
    listRequests: (query) => listRequests(db, query),
    async findIdempotency(principal, key) {
      // Two replicas racing on one key: the second waits here and then finds the first one's row.
      if (db.locking) await db.advisoryLock(`idempotency:${principal}:${key}`);
      const row = await db.one<{ body_hash: string; request_id: string }>(
        'SELECT body_hash, request_id FROM idempotency WHERE principal = $1 AND key = $2',
        [principal, key],
      );
      return row ? { bodyHash: row.body_hash, requestId: row.request_id } : undefined;
    },
    async saveIdempotency(principal, key, bodyHash, requestId, createdAt) {
      await db.run(
        'INSERT INTO idempotency (principal, key, body_hash, request_id, created_at) VALUES ($1, $2, $3, $4, $5)',
        [principal, key, bodyHash, requestId, createdAt],
      );
    },
    async purgeIdempotency(before, limit) {
      // SKIP LOCKED: replicas purging at once take different rows instead of waiting on each other.
      return db.run(
        `DELETE FROM idempotency WHERE (principal, key) IN (
           SELECT principal, key FROM idempotency WHERE created_at < $1
           ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [before, limit],
      );
    },
  };
}

async function listRequests(db: PgSession, query: RequestQuery): Promise<RequestPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { visibility } = query;
  if (!visibility.all) {
    const visible: string[] = [];
    if (visibility.requester) visible.push(`requester = ${param(visibility.requester)}`);
    if (visibility.assignees) {
      visible.push(`assignees = '[]'::jsonb`);
      if (visibility.assignees.length > 0) {
        visible.push(`assignees ?| ${param(visibility.assignees)}::text[]`);
      }
    }
    where.push(visible.length > 0 ? `(${visible.join(' OR ')})` : 'false');
  }
  for (const [column, value] of [
    ['status', query.status],
    ['kind', query.kind],
    ['requester', query.requester],
  ] as const) {
    if (value !== undefined) where.push(`${column} = ${param(value)}`);
  }
  if (query.assignee !== undefined) where.push(`assignees ? ${param(query.assignee)}`);
  if (query.cursor !== undefined) where.push(`seq < ${param(decodeCursor(query.cursor) ?? 0)}`);
  const limit = param(query.limit + 1);
  const offset = param(query.offset ?? 0);
  const rows = await db.rows<{ seq: number; doc: string }>(
    `SELECT seq, doc FROM requests ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => JSON.parse(row.doc) as ApprovalRequest),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.seq) : null,
  };
}

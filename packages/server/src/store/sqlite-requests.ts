import type { ApprovalRequest } from '@countersign/core/protocol';
import type { Statements } from './sqlite-statements.js';
import { decodeCursor, encodeCursor, type RequestMethods } from './store-rows.js';
import type { RequestPage, RequestQuery } from './store-types.js';

/** Requests and idempotency keys on SQLite. */
export function sqliteRequests(sql: Statements): RequestMethods {
  return {
    async getRequest(id) {
      const row = sql.get<{ doc: string }>('SELECT doc FROM requests WHERE id = ?', id);
      return row ? (JSON.parse(row.doc) as ApprovalRequest) : undefined;
    },
    async insertRequest(request) {
      sql.run(
        'INSERT INTO requests (id, status, kind, requester, assignees, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)',
        request.id,
        request.status,
        request.kind,
        request.requester,
        JSON.stringify(request.assignees),
        request.version,
        JSON.stringify(request),
      );
    },
    async updateRequest(request, previousVersion) {
      const changes = sql.run(
        'UPDATE requests SET status = ?, assignees = ?, version = ?, doc = ? WHERE id = ? AND version = ?',
        request.status,
        JSON.stringify(request.assignees),
        request.version,
        JSON.stringify(request),
        request.id,
        previousVersion,
      );
      return changes === 1;
    },
    async listRequests(query) {
      return listRequests(sql, query);
    },
    async findIdempotency(principal, key) {
      const row = sql.get<{ body_hash: string; request_id: string }>(
        'SELECT body_hash, request_id FROM idempotency WHERE principal = ? AND key = ?',
        principal,
        key,
      );
      return row ? { bodyHash: row.body_hash, requestId: row.request_id } : undefined;
    },
    async saveIdempotency(principal, key, bodyHash, requestId, createdAt) {
      sql.run(
        'INSERT INTO idempotency (principal, key, body_hash, request_id, created_at) VALUES (?, ?, ?, ?, ?)',
        principal,
        key,
        bodyHash,
        requestId,
        createdAt,
      );
    },
    async purgeIdempotency(before, limit) {
      return sql.run(
        'DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency WHERE created_at < ? ORDER BY created_at LIMIT ?)',
        before,
        limit,
      );
    },
  };
}

const ASSIGNED_TO = (placeholders: string) =>
  `EXISTS (SELECT 1 FROM json_each(requests.assignees) WHERE value IN (${placeholders}))`;

function listRequests(sql: Statements, query: RequestQuery): RequestPage {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const { visibility } = query;
  if (!visibility.all) {
    const visible: string[] = [];
    if (visibility.requester) {
      visible.push('requester = ?');
      params.push(visibility.requester);
    }
    if (visibility.assignees) {
      visible.push(`assignees = '[]'`);
      if (visibility.assignees.length > 0) {
        visible.push(ASSIGNED_TO(visibility.assignees.map(() => '?').join(', ')));
        params.push(...visibility.assignees);
      }
    }
    where.push(visible.length > 0 ? `(${visible.join(' OR ')})` : '0');
  }
  for (const [column, value] of [
    ['status', query.status],
    ['kind', query.kind],
    ['requester', query.requester],
  ] as const) {
    if (value !== undefined) {
      where.push(`${column} = ?`);
      params.push(value);
    }
  }
  if (query.assignee !== undefined) {
    where.push(ASSIGNED_TO('?'));
    params.push(query.assignee);
  }
  if (query.cursor !== undefined) {
    where.push('seq < ?');
    params.push(decodeCursor(query.cursor) ?? 0);
  }
  const rows = sql.all<{ seq: number; doc: string }>(
    `SELECT seq, doc FROM requests ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ? OFFSET ?`,
    ...params,
    query.limit + 1,
    query.offset ?? 0,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => JSON.parse(row.doc) as ApprovalRequest),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.seq) : null,
  };
}

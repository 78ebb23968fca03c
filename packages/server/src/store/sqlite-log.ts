import type { RequestEvent } from '@countersign/core/protocol';
import type { Statements } from './sqlite-statements.js';
import { type AuditRow, type LogMethods, toAuditEntry } from './store-rows.js';

/** The event stream and the audit chain on SQLite. */
export function sqliteLog(sql: Statements): LogMethods {
  return {
    async appendEvent(event) {
      const row = sql.get<{ id: number }>(
        'INSERT INTO events (request_id, doc) VALUES (?, ?) RETURNING id',
        event.requestId,
        '{}',
      );
      const stored: RequestEvent = { id: String(row?.id), ...event };
      sql.run('UPDATE events SET doc = ? WHERE id = ?', JSON.stringify(stored), row?.id ?? 0);
      return stored;
    },
    async listEvents(afterId, requestId, limit) {
      const rows =
        requestId === undefined
          ? sql.all<{ doc: string }>(
              'SELECT doc FROM events WHERE id > ? ORDER BY id LIMIT ?',
              afterId,
              limit,
            )
          : sql.all<{ doc: string }>(
              'SELECT doc FROM events WHERE request_id = ? AND id > ? ORDER BY id LIMIT ?',
              requestId,
              afterId,
              limit,
            );
      return rows.map((row) => JSON.parse(row.doc) as RequestEvent);
    },
    async latestEventId() {
      return sql.get<{ id: number | null }>('SELECT MAX(id) AS id FROM events')?.id ?? 0;
    },
    async lastAudit() {
      const row = sql.get<AuditRow>('SELECT * FROM audit ORDER BY seq DESC LIMIT 1');
      return row ? toAuditEntry(row) : undefined;
    },
    async appendAudit(entry) {
      sql.run(
        'INSERT INTO audit (seq, at, type, request_id, actor, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        entry.seq,
        entry.at,
        entry.type,
        entry.requestId,
        entry.actor,
        JSON.stringify(entry.data),
        entry.prevHash,
        entry.hash,
      );
    },
    async listAudit(query) {
      const where = ['seq > ?'];
      const params: (string | number)[] = [query.afterSeq ?? 0];
      if (query.requestId !== undefined) {
        where.push('request_id = ?');
        params.push(query.requestId);
      }
      if (query.from !== undefined) {
        where.push('at >= ?');
        params.push(query.from);
      }
      if (query.to !== undefined) {
        where.push('at < ?');
        params.push(query.to);
      }
      const rows = sql.all<AuditRow>(
        `SELECT * FROM audit WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
        ...params,
        query.limit,
      );
      return rows.map(toAuditEntry);
    },
  };
}

import type { RequestEvent } from '@countersign/core/protocol';
import { type AuditRow, type LogMethods, toAuditEntry } from '../store-rows.js';
import type { PgSession } from './postgres-session.js';

/** The name of the channel on which a store announces new events to the other replicas. */
export function eventChannel(schema: string): string {
  return `countersign_events_${schema}`.slice(0, 63);
}

/**
 * The event stream and the audit chain on PostgreSQL. Both are appended under one advisory lock,
 * so event ids are dense and visible in id order, and two replicas never fork the chain.
 */
export function postgresLog(db: PgSession, channel: string): LogMethods {
  return {
    async appendEvent(event) {
      await db.lockLog();
      const row = await db.one<{ id: number }>('SELECT COALESCE(MAX(id), 0) + 1 AS id FROM events');
      const id = row?.id ?? 1;
      const stored: RequestEvent = { id: String(id), ...event };
      await db.run('INSERT INTO events (id, request_id, doc) VALUES ($1, $2, $3)', [
        id,
        event.requestId,
        JSON.stringify(stored),
      ]);
      // Delivered to listeners only when (and if) the transaction commits.
      await db.run('SELECT pg_notify($1, $2)', [channel, String(id)]);
      db.eventIds.push(id);
      return stored;
    },
    async listEvents(afterId, requestId, limit) {
      const rows =
        requestId === undefined
          ? await db.rows<{ doc: string }>(
              'SELECT doc FROM events WHERE id > $1 ORDER BY id LIMIT $2',
              [afterId, limit],
            )
          : await db.rows<{ doc: string }>(
              'SELECT doc FROM events WHERE request_id = $1 AND id > $2 ORDER BY id LIMIT $3',
              [requestId, afterId, limit],
            );
      return rows.map((row) => JSON.parse(row.doc) as RequestEvent);
    },
    async latestEventId() {
      return (
        (await db.one<{ id: number }>('SELECT COALESCE(MAX(id), 0) AS id FROM events'))?.id ?? 0
      );
    },
    async lastAudit() {
      await db.lockLog();
      const row = await db.one<AuditRow>('SELECT * FROM audit ORDER BY seq DESC LIMIT 1');
      return row ? toAuditEntry(row) : undefined;
    },
    async appendAudit(entry) {
      await db.lockLog();
      await db.run(
        'INSERT INTO audit (seq, at, type, request_id, actor, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          entry.seq,
          entry.at,
          entry.type,
          entry.requestId,
          entry.actor,
          JSON.stringify(entry.data),
          entry.prevHash,
          entry.hash,
        ],
      );
    },
    async listAudit(query) {
      const where = ['seq > $1'];
      const params: unknown[] = [query.afterSeq ?? 0];
      for (const [condition, value] of [
        ['request_id =', query.requestId],
        ['at >=', query.from],
        ['at <', query.to],
      ] as const) {
        if (value === undefined) continue;
        params.push(value);
        where.push(`${condition} $${params.length}`);
      }
      params.push(query.limit);
      const rows = await db.rows<AuditRow>(
        `SELECT * FROM audit WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
        params,
      );
      return rows.map(toAuditEntry);
    },
  };
}

import type { RequestEvent } from '@countersign/core/protocol';
import { type AuditRow, type LogMethods, toAuditEntry } from '../store-rows.js';
import { auditQuery } from './list-queries.js';
import { AUDIT, EVENTS } from './queries.js';
import type { SqlSession } from './sql-session.js';

/** The event stream and the audit chain, both appended under the log lock. */
export function logMethods(db: SqlSession): LogMethods {
  return {
    async appendEvent(event) {
      const head = await db.lockLog();
      const id = head ? head.eventId + 1 : ((await db.one<{ id: number }>(EVENTS.nextId))?.id ?? 1);
      const stored: RequestEvent = { id: String(id), ...event };
      await db.write(EVENTS.insert, {
        id,
        requestId: event.requestId,
        doc: JSON.stringify(stored),
      });
      if (head) head.eventId = id;
      await db.eventAppended(id);
      return stored;
    },
    async listEvents(afterId, requestId, limit) {
      const rows = await db.rows<{ doc: string }>(
        requestId === undefined ? EVENTS.after : EVENTS.afterForRequest,
        { afterId, requestId: requestId ?? null, limit },
      );
      return rows.map((row) => JSON.parse(row.doc) as RequestEvent);
    },
    async latestEventId() {
      return (await db.one<{ id: number }>(EVENTS.latestId))?.id ?? 0;
    },
    async lastAudit() {
      const head = await db.lockLog();
      if (head) return head.audit;
      const row = await db.one<AuditRow>(AUDIT.last);
      return row ? toAuditEntry(row) : undefined;
    },
    async appendAudit(entry) {
      const head = await db.lockLog();
      await db.write(AUDIT.insert, { ...entry, data: JSON.stringify(entry.data) });
      if (head) head.audit = { ...entry };
    },
    async listAudit(query) {
      const audit = auditQuery(query);
      return (await db.rows<AuditRow>(audit.query, audit.parameters)).map(toAuditEntry);
    },
  };
}

import { type OutboxRow, toOutboxMessage, type WorkMethods } from '../store-rows.js';
import type { Job } from '../store-types.js';
import { JOBS, OUTBOX } from './queries.js';
import type { SqlSession } from './sql-session.js';

/** Scheduler jobs and the webhook outbox; claims skip rows another replica holds. */
export function workMethods(db: SqlSession): WorkMethods {
  return {
    async replaceJobs(requestId, kinds, jobs) {
      // No kinds to replace (a new request's first jobs): nothing to delete, so no statement.
      if (kinds.length > 0) await db.run(JOBS.deletePending, { requestId, kinds });
      for (const job of jobs) await db.run(JOBS.insert, job);
    },
    async clearJobs(requestId) {
      await db.run(JOBS.deleteAllPending, { requestId });
    },
    async claimDueJob(now) {
      const row = await db.one<{
        id: number;
        request_id: string;
        kind: Job['kind'];
        due_at: number;
      }>(JOBS.claimDue, { now });
      if (!row) return undefined;
      await db.run(JOBS.markDone, { id: row.id });
      return { id: row.id, requestId: row.request_id, kind: row.kind, dueAt: row.due_at };
    },
    async nextJobDue() {
      return (await db.one<{ due: number | null }>(JOBS.nextDue))?.due ?? undefined;
    },
    async enqueueOutbox(message) {
      await db.run(OUTBOX.insert, { ...message, lastError: message.lastError ?? null });
    },
    async claimDueOutbox(now, leaseUntil, limit) {
      const rows = await db.rows<OutboxRow>(OUTBOX.claimDue, { now, limit });
      if (rows.length > 0) {
        await db.run(OUTBOX.lease, { leaseUntil, ids: rows.map((row) => row.id) });
      }
      return rows.map(toOutboxMessage);
    },
    async updateOutbox(message) {
      await db.run(OUTBOX.update, { ...message, lastError: message.lastError ?? null });
    },
    async disableOutboxFor(webhookId) {
      await db.run(OUTBOX.disableFor, { webhookId });
    },
    async listOutbox(limit) {
      return (await db.rows<OutboxRow>(OUTBOX.list, { limit })).map(toOutboxMessage);
    },
  };
}

import { notificationUrl } from '../../notify/notification-types.js';
import { type OutboxRow, toOutboxMessage, type WorkMethods } from '../store-rows.js';
import type { Backlog, Job } from '../store-types.js';
import { BACKLOG, JOBS, OUTBOX, USED_LINKS } from './queries.js';
import type { SqlSession } from './sql-session.js';

const prefixOf = (prefix: string) => ({ prefix, prefixLength: prefix.length });

/** Scheduler jobs and the webhook outbox; claims skip rows another replica holds. */
export function workMethods(db: SqlSession): WorkMethods {
  return {
    async replaceJobs(requestId, kinds, jobs) {
      // No kinds to replace (a new request's first jobs): nothing to delete, so no statement.
      if (kinds.length > 0) await db.write(JOBS.deletePending, { requestId, kinds });
      for (const job of jobs) await db.write(JOBS.insert, job);
    },
    async clearJobs(requestId) {
      await db.write(JOBS.deleteAllPending, { requestId });
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
      await db.write(OUTBOX.insert, {
        ...message,
        lastError: message.lastError ?? null,
        requestId: message.requestId ?? null,
      });
    },
    async claimDueOutbox(now, leaseUntil, limit, lane) {
      const rows =
        typeof lane === 'object'
          ? await db.rows<OutboxRow>(OUTBOX.claimDueWithPrefix, {
              now,
              limit,
              ...prefixOf(notificationUrl(lane.channel, '')),
            })
          : await db.rows<OutboxRow>(
              lane === 'webhooks'
                ? OUTBOX.claimDueWebhooks
                : lane === 'notifications'
                  ? OUTBOX.claimDueNotifications
                  : OUTBOX.claimDue,
              { now, limit },
            );
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
    async backlog() {
      const pending = await db.one<{ count: number | string }>(BACKLOG.pendingCount);
      const oldest = await db.one<{ doc: string }>(BACKLOG.oldestPending);
      const outbox = await db.one<{ count: number | string; oldest: number | string | null }>(
        BACKLOG.outbox,
      );
      const backlog: Backlog = {
        pendingRequests: Number(pending?.count ?? 0),
        outboxPending: Number(outbox?.count ?? 0),
      };
      if (oldest) backlog.oldestPendingAt = Date.parse(JSON.parse(oldest.doc).createdAt);
      if (outbox?.oldest != null) backlog.oldestOutboxAt = Number(outbox.oldest);
      return backlog;
    },
    async listOutbox(limit) {
      return (await db.rows<OutboxRow>(OUTBOX.list, { limit })).map(toOutboxMessage);
    },
    async listRequestOutbox(requestId, prefix, limit) {
      const rows = await db.rows<OutboxRow>(OUTBOX.forRequest, {
        requestId,
        prefix: `${prefix}%`,
        limit,
      });
      return rows.map(toOutboxMessage);
    },
    async listOutboxByStatus(status, prefix, limit) {
      const rows = await db.rows<OutboxRow>(OUTBOX.byStatus, {
        status,
        prefix: `${prefix}%`,
        limit,
      });
      return rows.map(toOutboxMessage);
    },
    async outboxSentTo(requestId, url) {
      return (await db.one(OUTBOX.sentTo, { requestId, url })) !== undefined;
    },
    async claimLink(nonce, requestId, at) {
      return (await db.run(USED_LINKS.claim, { nonce, requestId, at })) === 1;
    },
    async linkUsedAt(nonce) {
      return (await db.one<{ used_at: string }>(USED_LINKS.get, { nonce }))?.used_at;
    },
    async releaseLink(nonce) {
      await db.run(USED_LINKS.release, { nonce });
    },
  };
}

import { type OutboxRow, toOutboxMessage, type WorkMethods } from '../store-rows.js';
import type { Job } from '../store-types.js';
import type { PgSession } from './postgres-session.js';

/**
 * Scheduler jobs and the webhook outbox on PostgreSQL. Claims skip rows another replica holds, so
 * each job fires once and each message is leased to one worker.
 */
export function postgresWork(db: PgSession): WorkMethods {
  return {
    async replaceJobs(requestId, kinds, jobs) {
      await db.run('DELETE FROM jobs WHERE request_id = $1 AND kind = ANY($2) AND NOT done', [
        requestId,
        kinds,
      ]);
      for (const job of jobs) {
        await db.run('INSERT INTO jobs (request_id, kind, due_at) VALUES ($1, $2, $3)', [
          job.requestId,
          job.kind,
          job.dueAt,
        ]);
      }
    },
    async clearJobs(requestId) {
      await db.run('DELETE FROM jobs WHERE request_id = $1 AND NOT done', [requestId]);
    },
    async claimDueJob(now) {
      const row = await db.one<{
        id: number;
        request_id: string;
        kind: Job['kind'];
        due_at: number;
      }>(
        'SELECT id, request_id, kind, due_at FROM jobs WHERE NOT done AND due_at <= $1 ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED',
        [now],
      );
      if (!row) return undefined;
      await db.run('UPDATE jobs SET done = true WHERE id = $1', [row.id]);
      return { id: row.id, requestId: row.request_id, kind: row.kind, dueAt: row.due_at };
    },
    async nextJobDue() {
      const row = await db.one<{ due: number | null }>(
        'SELECT MIN(due_at) AS due FROM jobs WHERE NOT done',
      );
      return row?.due ?? undefined;
    },
    async enqueueOutbox(message) {
      await db.run(
        'INSERT INTO outbox (id, webhook_id, url, secret, event_type, body, attempts, next_attempt_at, created_at, status, last_error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [
          message.id,
          message.webhookId,
          message.url,
          message.secret,
          message.eventType,
          message.body,
          message.attempts,
          message.nextAttemptAt,
          message.createdAt,
          message.status,
          message.lastError ?? null,
        ],
      );
    },
    async claimDueOutbox(now, leaseUntil, limit) {
      const rows = await db.rows<OutboxRow>(
        `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      if (rows.length > 0) {
        await db.run('UPDATE outbox SET next_attempt_at = $1 WHERE id = ANY($2)', [
          leaseUntil,
          rows.map((row) => row.id),
        ]);
      }
      return rows.map(toOutboxMessage);
    },
    async updateOutbox(message) {
      await db.run(
        'UPDATE outbox SET attempts = $1, next_attempt_at = $2, status = $3, last_error = $4 WHERE id = $5',
        [
          message.attempts,
          message.nextAttemptAt,
          message.status,
          message.lastError ?? null,
          message.id,
        ],
      );
    },
    async disableOutboxFor(webhookId) {
      await db.run(
        `UPDATE outbox SET status = 'disabled' WHERE webhook_id = $1 AND status = 'pending'`,
        [webhookId],
      );
    },
    async listOutbox(limit) {
      const rows = await db.rows<OutboxRow>(
        'SELECT * FROM outbox ORDER BY created_at, id LIMIT $1',
        [limit],
      );
      return rows.map(toOutboxMessage);
    },
  };
}

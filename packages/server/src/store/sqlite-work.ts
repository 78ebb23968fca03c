import type { Statements } from './sqlite-statements.js';
import { type OutboxRow, toOutboxMessage, type WorkMethods } from './store-rows.js';
import type { Job } from './store-types.js';

/** Scheduler jobs and the webhook outbox on SQLite. */
export function sqliteWork(sql: Statements): WorkMethods {
  return {
    async replaceJobs(requestId, kinds, jobs) {
      for (const kind of kinds) {
        sql.run('DELETE FROM jobs WHERE request_id = ? AND kind = ? AND done = 0', requestId, kind);
      }
      for (const job of jobs) {
        sql.run(
          'INSERT INTO jobs (request_id, kind, due_at) VALUES (?, ?, ?)',
          job.requestId,
          job.kind,
          job.dueAt,
        );
      }
    },
    async clearJobs(requestId) {
      sql.run('DELETE FROM jobs WHERE request_id = ? AND done = 0', requestId);
    },
    async claimDueJob(now) {
      const row = sql.get<{ id: number; request_id: string; kind: Job['kind']; due_at: number }>(
        'SELECT id, request_id, kind, due_at FROM jobs WHERE done = 0 AND due_at <= ? ORDER BY due_at, id LIMIT 1',
        now,
      );
      if (!row) return undefined;
      sql.run('UPDATE jobs SET done = 1 WHERE id = ?', row.id);
      return { id: row.id, requestId: row.request_id, kind: row.kind, dueAt: row.due_at };
    },
    async nextJobDue() {
      const row = sql.get<{ due: number | null }>(
        'SELECT MIN(due_at) AS due FROM jobs WHERE done = 0',
      );
      return row?.due ?? undefined;
    },
    async enqueueOutbox(message) {
      sql.run(
        'INSERT INTO outbox (id, webhook_id, url, secret, event_type, body, attempts, next_attempt_at, created_at, status, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
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
      );
    },
    async claimDueOutbox(now, leaseUntil, limit) {
      const rows = sql.all<OutboxRow>(
        `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
        now,
        limit,
      );
      for (const row of rows) {
        sql.run('UPDATE outbox SET next_attempt_at = ? WHERE id = ?', leaseUntil, row.id);
      }
      return rows.map(toOutboxMessage);
    },
    async updateOutbox(message) {
      sql.run(
        'UPDATE outbox SET attempts = ?, next_attempt_at = ?, status = ?, last_error = ? WHERE id = ?',
        message.attempts,
        message.nextAttemptAt,
        message.status,
        message.lastError ?? null,
        message.id,
      );
    },
    async disableOutboxFor(webhookId) {
      sql.run(
        `UPDATE outbox SET status = 'disabled' WHERE webhook_id = ? AND status = 'pending'`,
        webhookId,
      );
    },
    async listOutbox(limit) {
      return sql
        .all<OutboxRow>('SELECT * FROM outbox ORDER BY created_at, id LIMIT ?', limit)
        .map(toOutboxMessage);
    },
  };
}

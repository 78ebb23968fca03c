import { z } from 'zod';
import { approvalRequestSchema } from './request.js';

/** What happened to a request. */
export const requestEventTypeSchema = z.enum([
  'created',
  'updated',
  'reminded',
  'escalated',
  'decided',
  'expired',
  'cancelled',
]);
export type RequestEventType = z.infer<typeof requestEventTypeSchema>;

/** One event in a request's life, as sent over SSE (`event:` is `type`, `id:` is `id`). */
export const requestEventSchema = z.object({
  /** Resumable cursor: pass it back as `Last-Event-ID`. */
  id: z.string(),
  requestId: z.string(),
  /** Per-request sequence number, starting at 1 with `created`. */
  seq: z.int().min(1),
  type: requestEventTypeSchema,
  at: z.iso.datetime({ offset: true }),
  /** The request version after this event. */
  version: z.int().min(1),
  /** The principal that caused it; absent for the scheduler. */
  actor: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
  /** The request as it stands after this event. */
  request: approvalRequestSchema,
});
export type RequestEvent = z.infer<typeof requestEventSchema>;

/** The JSON error body every API error carries. */
export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

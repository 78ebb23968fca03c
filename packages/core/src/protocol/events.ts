import { z } from 'zod';
import { approvalRequestSchema } from './request.js';
import { REQUEST_EVENT_TYPES } from './wire-values.js';

/** What happened to a request. */
export const requestEventTypeSchema = z
  .enum(REQUEST_EVENT_TYPES)
  .describe('What happened; also the SSE event: field');

/** One event in a request's life, as sent over SSE (`event:` is `type`, `id:` is `id`). */
export const requestEventSchema = z.object({
  id: z.string().describe('Resumable cursor (the SSE id:): send it back as Last-Event-ID'),
  requestId: z.string().describe('The request it happened to'),
  seq: z.int().min(1).describe('Per-request sequence number, starting at 1 with created'),
  type: requestEventTypeSchema,
  at: z.iso.datetime({ offset: true }).describe('When it happened'),
  version: z.int().min(1).describe('The request version after this event'),
  actor: z.string().optional().describe('The principal that caused it; absent for the scheduler'),
  data: z
    .record(z.string(), z.unknown())
    .describe('What changed, by type (for decided: decisionId, outcome, reason, comment)'),
  request: approvalRequestSchema.describe('The request as it stands after this event'),
});
export type RequestEvent = z.infer<typeof requestEventSchema>;

/** The JSON error body every API error carries. */
export const apiErrorBodySchema = z.object({
  error: z
    .object({
      code: z.string().describe('A stable, machine-readable code such as validation_failed'),
      message: z.string().describe('What went wrong, for a human'),
      details: z
        .record(z.string(), z.unknown())
        .describe('Specifics, by code (for validation_failed: the issues)'),
    })
    .describe('The error'),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

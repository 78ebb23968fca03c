import { z } from 'zod';

// The query and answers of /v1/audit: the routes validate with these and type their answers by
// them, and /openapi.json is generated from them.

const isoTime = z.iso.datetime({ offset: true });

/** The query of `GET /v1/audit`. */
export const auditQuerySchema = z.strictObject({
  format: z
    .enum(['jsonl', 'csv'])
    .optional()
    .describe('jsonl (one AuditEntry per line) or csv; default from Accept, else jsonl'),
  requestId: z.string().min(1).max(300).optional().describe('Only the entries of this request'),
  from: isoTime.optional().describe('Only entries at or after this time'),
  to: isoTime.optional().describe('Only entries before this time'),
});

/** One line of `GET /v1/audit?format=jsonl`. */
export const auditEntrySchema = z.object({
  seq: z.int().min(1).describe('Position in the chain, from 1'),
  at: isoTime.describe('When it was recorded'),
  type: z
    .string()
    .describe(
      'What happened: a request event type (decided, ...), webhook.delivered, webhook.failed, webhook.disabled, or grant.created, grant.used, grant.expired, grant.revoked',
    ),
  requestId: z.string().nullable().describe('The request it is about, if any'),
  actor: z.string().nullable().describe('Who caused it; null for the scheduler'),
  data: z.record(z.string(), z.unknown()).describe('The details, by type'),
  prevHash: z.string().describe('The hash of the previous entry (64 zeros for the first)'),
  hash: z.string().describe('SHA-256 over this entry and prevHash: editing any entry breaks it'),
});
export type AuditLine = z.infer<typeof auditEntrySchema>;

/** The answer of `GET /v1/audit/verify`. */
export const auditVerificationSchema = z.object({
  ok: z.boolean().describe('True when the whole chain is intact'),
  entries: z.int().min(0).describe('How many entries were checked'),
  firstBad: z
    .object({
      seq: z.int().describe('The entry that does not fit'),
      problem: z
        .enum(['edited', 'deleted', 'reordered', 'broken-link'])
        .describe('What is wrong with it'),
    })
    .optional()
    .describe('The first entry that does not fit, when ok is false'),
  message: z.string().describe('The result in words'),
});
export type AuditVerificationView = z.infer<typeof auditVerificationSchema>;

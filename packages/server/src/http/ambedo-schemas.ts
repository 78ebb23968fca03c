import { createRequestBodySchema } from '@countersign/core/protocol';
import { z } from 'zod';

// The bodies and answers of the Ambedo-compatible /api/pause routes: the routes validate with these
// and type their answers by them, and /openapi.json is generated from them.

const AMBEDO_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
const ambedoStatusSchema = z
  .enum(AMBEDO_STATUSES)
  .describe('Ambedo status: answered counts as approved, cancelled as expired');
export type AmbedoStatus = z.infer<typeof ambedoStatusSchema>;
const reasonText = z.string().trim().min(1).max(4000);

/** The body of `POST /api/pause`. */
export const pauseBodySchema = z.strictObject({
  action: createRequestBodySchema.shape.action,
  context: z.unknown().optional().describe('Anything that helps the reviewer decide'),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional()
    .describe('An http(s) URL the server POSTs a signed webhook to on every change'),
});

/** The body of `POST /api/pause/:watchId/approve`: either form. */
export const approveBodySchema = z.union([
  z.strictObject({
    approved: z.boolean().describe('true approves, false rejects'),
    reason: reasonText.optional().describe('Why (a comment when approving)'),
  }),
  z.strictObject({
    decision: z.enum(['approve', 'reject']).describe('The decision'),
    reason: reasonText.optional().describe('Why (a comment when approving)'),
  }),
]);

/** The query of `GET /api/pause`. */
export const pauseListQuerySchema = z.strictObject({
  status: ambedoStatusSchema.optional().describe('Only pauses with this Ambedo status'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size'),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(0)
    .describe('How many pauses to skip'),
});

/** A pause as Ambedo shows it. */
export const pauseViewSchema = z.object({
  watchId: z.string().describe('The pause id (the Countersign request id)'),
  status: ambedoStatusSchema,
  resolvedAt: z.string().nullable().describe('When it was resolved; null while pending'),
  reason: z.string().optional().describe('Why it was rejected or cancelled'),
  statusUrl: z.string().describe('The absolute URL of this pause'),
  agentContext: z
    .object({
      action: z.string().describe('What the agent wants to do'),
      context: z.unknown().describe('The context as the agent sent it'),
    })
    .describe('What the agent sent'),
});
export type PauseView = z.infer<typeof pauseViewSchema>;

/** The answer of `POST /api/pause`. */
export const pauseCreatedSchema = pauseViewSchema.pick({
  watchId: true,
  statusUrl: true,
  status: true,
});

/** The answer of `GET /api/pause`. */
export const pauseListSchema = z.object({
  pauses: z.array(pauseViewSchema).describe('The pauses, newest first'),
  limit: z.int().describe('The page size used'),
  offset: z.int().describe('How many were skipped'),
});

import { z } from 'zod';
import { durationSchema } from './duration.js';

/** What the human is asked for. */
export const requestKindSchema = z.enum(['approval', 'review', 'form', 'clarification']);
export type RequestKind = z.infer<typeof requestKindSchema>;

/** Where a request stands. `expired` and `cancelled` are never a rejection. */
export const requestStatusSchema = z.enum([
  'pending',
  'approved',
  'rejected',
  'answered',
  'expired',
  'cancelled',
]);
export type RequestStatus = z.infer<typeof requestStatusSchema>;

/** Statuses after which nothing changes any more. */
export const TERMINAL_STATUSES: readonly RequestStatus[] = [
  'approved',
  'rejected',
  'answered',
  'expired',
  'cancelled',
];

/** True once a request can no longer change. */
export function isTerminalStatus(status: RequestStatus): boolean {
  return status !== 'pending';
}

/** What a human decides. */
export const decisionOutcomeSchema = z.enum(['approve', 'reject', 'edit', 'respond']);
export type DecisionOutcome = z.infer<typeof decisionOutcomeSchema>;

/** A principal or assignee: `user:NAME` or `group:NAME` (agents are `agent:NAME`). */
export const assigneeSchema = z.string().regex(/^(user|group):[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, {
  message: 'Expected "user:NAME" or "group:NAME"',
});
export type Assignee = z.infer<typeof assigneeSchema>;

/** Any JSON object. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof jsonObjectSchema>;

/** A JSON Schema document (validated when used, not here). */
export const jsonSchemaDocumentSchema = jsonObjectSchema.meta({ description: 'A JSON Schema' });

/** Hints an MCP server gives about a tool, visible to policy conditions. */
export const toolAnnotationsSchema = z
  .object({
    title: z.string().optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .catchall(z.unknown());
export type ToolAnnotations = z.infer<typeof toolAnnotationsSchema>;

/** The tool call a request is about. */
export const toolCallSchema = z.strictObject({
  name: z.string().min(1).max(256),
  args: jsonObjectSchema.default({}),
  /** The tool's input JSON Schema: edited arguments are validated against it. */
  schema: jsonSchemaDocumentSchema.optional(),
  annotations: toolAnnotationsSchema.optional(),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/** After `after`, add (or replace with) `assignees`. */
export const escalationSchema = z.strictObject({
  after: durationSchema,
  assignees: z.array(assigneeSchema).min(1).max(50),
  mode: z.enum(['add', 'replace']).default('add'),
});
export type Escalation = z.infer<typeof escalationSchema>;

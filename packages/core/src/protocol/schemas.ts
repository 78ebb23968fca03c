import { z } from 'zod';
import { durationSchema } from './duration.js';
import { previewDescriptorSchema } from './preview.js';
import { DECISION_OUTCOMES, REQUEST_KINDS, REQUEST_STATUSES } from './wire-values.js';

// Every field carries a description: `/openapi.json` is generated from these schemas, and a test
// fails on any property left undocumented.

/** What the human is asked for. */
export const requestKindSchema = z
  .enum(REQUEST_KINDS)
  .describe(
    'What the human is asked for: approval (approve or reject a call), review (approve, reject or edit its arguments), form (fill in responseSchema), clarification (answer question)',
  );

/** Where a request stands. `expired` and `cancelled` are never a rejection. */
export const requestStatusSchema = z
  .enum(REQUEST_STATUSES)
  .describe('Where the request stands; every status but pending is final');

/** What a human decides. */
export const decisionOutcomeSchema = z
  .enum(DECISION_OUTCOMES)
  .describe(
    'approve, reject (needs reason), edit (approve with new args) or respond (answer a form or clarification)',
  );

/** A principal or assignee: `user:NAME` or `group:NAME` (agents are `agent:NAME`). */
export const assigneeSchema = z
  .string()
  .regex(/^(user|group):[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, {
    message: 'Expected "user:NAME" or "group:NAME"',
  })
  .describe('A reviewer, "user:NAME", or a group of reviewers, "group:NAME"');
export type Assignee = z.infer<typeof assigneeSchema>;

/** Any JSON object. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof jsonObjectSchema>;

/** A JSON Schema document (validated when used, not here). */
export const jsonSchemaDocumentSchema = jsonObjectSchema.meta({ description: 'A JSON Schema' });

/** Hints an MCP server gives about a tool, visible to policy conditions. */
export const toolAnnotationsSchema = z
  .object({
    title: z.string().optional().describe('A human-readable name of the tool'),
    readOnlyHint: z.boolean().optional().describe('The tool does not change its environment'),
    destructiveHint: z
      .boolean()
      .optional()
      .describe('The tool may destroy or overwrite data (meaningful when not read-only)'),
    idempotentHint: z
      .boolean()
      .optional()
      .describe('Calling it again with the same arguments has no further effect'),
    openWorldHint: z
      .boolean()
      .optional()
      .describe('The tool reaches outside systems (the web, other services)'),
  })
  .catchall(z.unknown())
  .describe('Hints about the tool (MCP tool annotations); further keys are kept as they are');
export type ToolAnnotations = z.infer<typeof toolAnnotationsSchema>;

/** The tool call a request is about. */
export const toolCallSchema = z
  .strictObject({
    name: z.string().min(1).max(256).describe('The tool name, as the agent calls it'),
    args: jsonObjectSchema.default({}).describe('The arguments of the call, as a JSON object'),
    schema: jsonSchemaDocumentSchema
      .optional()
      .describe("The tool's input JSON Schema: edited arguments are validated against it"),
    annotations: toolAnnotationsSchema.optional(),
    preview: previewDescriptorSchema.optional(),
  })
  .describe('The tool call the request is about: what runs once approved');
export type ToolCall = z.infer<typeof toolCallSchema>;

const escalationMode = z
  .enum(['add', 'replace'])
  .describe('add: the new assignees join the old ones; replace: they take over');

/** After `after`, add (or replace with) `assignees`. */
export const escalationSchema = z
  .strictObject({
    after: durationSchema.describe('How long after creation to escalate, e.g. "24h"'),
    assignees: z.array(assigneeSchema).min(1).max(50).describe('Who is asked on escalation'),
    mode: escalationMode.default('add'),
  })
  .describe('Who else to ask when nobody has decided in time');
export type Escalation = z.infer<typeof escalationSchema>;

/** The escalation of a request as stored, with its time fixed. */
export const escalationStateSchema = z
  .object({
    at: z.iso.datetime({ offset: true }).describe('When the escalation happens'),
    assignees: z.array(z.string()).describe('Who is asked on escalation'),
    mode: escalationMode,
    fired: z.boolean().describe('True once the escalation has happened'),
  })
  .describe('The planned escalation');

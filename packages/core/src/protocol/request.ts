import { z } from 'zod';
import { durationSchema } from './duration.js';
import { grantReferenceSchema, grantSpecSchema } from './grants.js';
import { requestPolicySchema } from './policy-scope.js';
import { resolvedPreviewSchema } from './preview.js';
import {
  assigneeSchema,
  decisionOutcomeSchema,
  escalationSchema,
  escalationStateSchema,
  jsonObjectSchema,
  jsonSchemaDocumentSchema,
  requestKindSchema,
  requestStatusSchema,
  toolCallSchema,
} from './schemas.js';

const isoTime = z.iso.datetime({ offset: true });
const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);
const expectedVersion = z
  .int()
  .min(1)
  .describe('The version the caller last saw: a 409 conflict if the request has changed since');

/** The body of `POST /v1/requests`. Only `action` is required. */
export const createRequestBodySchema = z
  .strictObject({
    action: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .describe('What the agent wants to do, in words a reviewer understands'),
    kind: requestKindSchema.default('approval'),
    tool: toolCallSchema.optional(),
    context: jsonObjectSchema
      .optional()
      .describe('Anything that helps the reviewer decide, shown beside the request'),
    question: z
      .string()
      .trim()
      .min(1)
      .max(4000)
      .optional()
      .describe('The question for the human (clarification and form requests)'),
    responseSchema: jsonSchemaDocumentSchema
      .optional()
      .describe('The JSON Schema the answer must match (required for kind form)'),
    assignees: z
      .array(assigneeSchema)
      .max(50)
      .optional()
      .describe('Who may decide; none means any reviewer'),
    quorum: z
      .int()
      .min(1)
      .max(20)
      .default(1)
      .describe('How many distinct approvals it takes (one rejection is enough)'),
    timeout: durationSchema
      .optional()
      .describe('How long to wait before the request expires, e.g. "48h"; none waits forever'),
    reminders: z
      .array(durationSchema)
      .max(10)
      .optional()
      .describe('When to remind the assignees, counted from creation, e.g. ["24h"]'),
    escalation: escalationSchema.optional(),
    callbackUrl: httpUrl
      .optional()
      .describe('An http(s) URL the server POSTs a signed webhook to on every change'),
    runId: z.string().min(1).max(256).optional().describe('The agent run this call belongs to'),
    toolCallId: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe("The agent framework's id of this tool call"),
    metadata: jsonObjectSchema
      .optional()
      .describe('Free-form data for the caller, stored and returned as is'),
    policy: requestPolicySchema
      .optional()
      .describe(
        "The policy rule that asked, and this tool's rules: edits are checked against them",
      ),
  })
  .refine((body) => body.kind !== 'form' || body.responseSchema !== undefined, {
    message: 'A form request needs a responseSchema',
    path: ['responseSchema'],
  });
/** What a client sends to create a request. */
export type CreateRequestInput = z.input<typeof createRequestBodySchema>;
/** A create body after defaults are applied. */
export type CreateRequestBody = z.output<typeof createRequestBodySchema>;

const reasonText = z.string().trim().min(1).max(4000);
const commentText = z
  .string()
  .max(4000)
  .describe("The reviewer's optional note, shown in the outcome and the timeline");

/** The body of `POST /v1/requests/:id/decisions`. */
export const decisionBodySchema = z
  .strictObject({
    outcome: decisionOutcomeSchema,
    reason: reasonText
      .optional()
      .describe('Why: required for reject, shown to the agent as the reason'),
    comment: commentText.optional(),
    args: jsonObjectSchema
      .optional()
      .describe('The edited arguments (required for edit), validated against tool.schema'),
    response: z
      .unknown()
      .optional()
      .describe('The answer (required for respond), validated against responseSchema'),
    expectedVersion: expectedVersion.optional(),
    grant: grantSpecSchema
      .optional()
      .describe('With approve: also allow later calls like this one for a while (a grant)'),
  })
  .superRefine((body, ctx) => {
    if (body.grant !== undefined && body.outcome !== 'approve') {
      ctx.addIssue({ code: 'custom', path: ['grant'], message: 'Only an approval adds a grant' });
    }
    if (body.outcome === 'reject' && !body.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'A rejection needs a reason' });
    }
    if (body.outcome === 'edit' && !body.args) {
      ctx.addIssue({ code: 'custom', path: ['args'], message: 'An edit needs the new args' });
    }
    if (body.outcome === 'respond' && body.response === undefined) {
      ctx.addIssue({ code: 'custom', path: ['response'], message: 'A response needs a response' });
    }
  });
export type DecisionInput = z.input<typeof decisionBodySchema>;

/** The body of `POST /v1/requests/:id/cancel`. */
export const cancelBodySchema = z.strictObject({
  reason: reasonText.optional().describe('Why the request was withdrawn'),
  expectedVersion: expectedVersion.optional(),
});
export type CancelInput = z.input<typeof cancelBodySchema>;

/** The body of `PATCH /v1/requests/:id`: change a pending request's deadline, assignees or reminders. */
export const updateRequestBodySchema = z
  .strictObject({
    expectedVersion,
    deadline: isoTime.nullable().optional().describe('A new deadline, or null to remove it'),
    timeout: durationSchema.optional().describe('A new deadline counted from now, e.g. "2h"'),
    assignees: z
      .array(assigneeSchema)
      .max(50)
      .optional()
      .describe('The new assignees, replacing the old ones'),
    reminders: z
      .array(isoTime)
      .max(10)
      .optional()
      .describe('Reminder times, replacing the pending ones'),
    escalation: z
      .strictObject({
        at: isoTime.describe('When to escalate'),
        assignees: z.array(assigneeSchema).min(1).max(50).describe('Who is asked on escalation'),
        mode: escalationSchema.shape.mode,
      })
      .nullable()
      .optional()
      .describe('A new escalation, or null to remove it'),
  })
  .refine((body) => !(body.deadline !== undefined && body.timeout !== undefined), {
    message: 'Give either deadline or timeout, not both',
  });
export type UpdateRequestInput = z.input<typeof updateRequestBodySchema>;

/** One reviewer's decision. */
export const decisionSchema = z
  .object({
    id: z.string().describe('The decision id'),
    outcome: decisionOutcomeSchema,
    principal: z.string().describe('Who decided, e.g. "user:alice"'),
    reason: z.string().optional().describe('Why, as the reviewer wrote it'),
    comment: z.string().optional().describe("The reviewer's note"),
    args: jsonObjectSchema.optional().describe('The edited arguments, for edit'),
    response: z.unknown().optional().describe("The human's answer, for respond"),
    fingerprint: z
      .string()
      .optional()
      .describe('The fingerprint of the tool call decided on (the edited one for edit)'),
    decidedAt: isoTime.describe('When the decision was made'),
    grant: z
      .string()
      .optional()
      .describe("The grant that made this decision on its granter's behalf"),
    addedGrant: z.string().optional().describe('The grant this approval added, if any'),
  })
  .describe("One reviewer's decision");
export type Decision = z.infer<typeof decisionSchema>;

/** How a request ended. */
export const resolutionSchema = z
  .object({
    status: requestStatusSchema.exclude(['pending']).describe('The final status'),
    at: isoTime.describe('When the request was resolved'),
    by: z
      .array(z.string())
      .describe('The principals whose decisions resolved it (empty for expiry)'),
    reason: z.string().optional().describe('Why it was rejected or cancelled'),
    comment: z.string().optional().describe("The deciding reviewer's note"),
    args: jsonObjectSchema
      .optional()
      .describe('The arguments that may run (original or edited), for approved'),
    fingerprint: z
      .string()
      .optional()
      .describe('The fingerprint of tool.name + args: the gate runs nothing else'),
    edited: z.boolean().optional().describe('True when a reviewer changed the arguments'),
    response: z.unknown().optional().describe("The human's answer, for answered"),
    grant: grantReferenceSchema.optional(),
  })
  .describe('How the request ended; absent while pending');
export type Resolution = z.infer<typeof resolutionSchema>;

/** An approval request as the server returns it. */
export const approvalRequestSchema = z.object({
  id: z.string().describe('The request id'),
  kind: requestKindSchema,
  status: requestStatusSchema,
  version: z.int().min(1).describe('Increases on every change; send it back as expectedVersion'),
  action: z.string().describe('What the agent wants to do'),
  question: z.string().optional().describe('The question for the human'),
  tool: toolCallSchema.optional(),
  fingerprint: z
    .string()
    .optional()
    .describe('The fingerprint of tool.name + tool.args: "sha256:" and 64 hex digits'),
  preview: resolvedPreviewSchema.optional(),
  context: jsonObjectSchema.describe("The agent's context for the reviewer"),
  assignees: z.array(z.string()).describe('Who may decide; empty means any reviewer'),
  quorum: z.int().min(1).describe('How many distinct approvals it takes'),
  requester: z.string().describe('The principal that created it, e.g. "agent:billing-bot"'),
  responseSchema: jsonSchemaDocumentSchema
    .optional()
    .describe('The JSON Schema the answer must match'),
  callbackUrl: z.string().optional().describe('Where change webhooks are POSTed'),
  callbackFormat: z
    .enum(['ambedo'])
    .optional()
    .describe(
      'The shape of callbackUrl deliveries: absent for the {type, timestamp, data} envelope of every event; "ambedo" for a request created by POST /api/pause, whose webhookUrl receives only the decision as Ambedo documents it',
    ),
  runId: z.string().optional().describe('The agent run this call belongs to'),
  toolCallId: z.string().optional().describe("The agent framework's id of this tool call"),
  metadata: jsonObjectSchema.optional().describe("The caller's free-form data"),
  policy: requestPolicySchema
    .optional()
    .describe("The policy rule that asked, and this tool's rules, as the creator sent them"),
  createdAt: isoTime.describe('When it was created'),
  updatedAt: isoTime.describe('When it last changed'),
  deadline: isoTime.optional().describe('When it expires; absent when it waits forever'),
  reminders: z.array(isoTime).describe('Reminder times still to come'),
  escalation: escalationStateSchema.optional(),
  decisions: z.array(decisionSchema).describe('The decisions so far, oldest first'),
  resolution: resolutionSchema.optional(),
  links: z
    .object({
      self: z.string().describe('This request'),
      wait: z.string().describe('Long-poll until it is final'),
      events: z.string().describe('Its Server-Sent Events'),
    })
    .describe('Paths of this request on the server'),
});
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

/** A page of requests. */
export const requestListSchema = z.object({
  items: z.array(approvalRequestSchema).describe('The requests, newest first'),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as cursor for the next page; null on the last page'),
});
export type RequestList = z.infer<typeof requestListSchema>;

import { z } from 'zod';
import { durationSchema } from './duration.js';
import { requestPolicySchema } from './policy-scope.js';
import {
  assigneeSchema,
  decisionOutcomeSchema,
  escalationSchema,
  jsonObjectSchema,
  jsonSchemaDocumentSchema,
  requestKindSchema,
  requestStatusSchema,
  toolCallSchema,
} from './schemas.js';

const isoTime = z.iso.datetime({ offset: true });
const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);

/** The body of `POST /v1/requests`. Only `action` is required. */
export const createRequestBodySchema = z
  .strictObject({
    action: z.string().trim().min(1).max(2000),
    kind: requestKindSchema.default('approval'),
    tool: toolCallSchema.optional(),
    context: jsonObjectSchema.optional(),
    question: z.string().trim().min(1).max(4000).optional(),
    responseSchema: jsonSchemaDocumentSchema.optional(),
    assignees: z.array(assigneeSchema).max(50).optional(),
    quorum: z.int().min(1).max(20).default(1),
    timeout: durationSchema.optional(),
    reminders: z.array(durationSchema).max(10).optional(),
    escalation: escalationSchema.optional(),
    callbackUrl: httpUrl.optional(),
    runId: z.string().min(1).max(256).optional(),
    toolCallId: z.string().min(1).max(256).optional(),
    metadata: jsonObjectSchema.optional(),
    /** The policy rule that asked, and this tool's rules: edits are checked against them. */
    policy: requestPolicySchema.optional(),
  })
  .refine((body) => body.kind !== 'form' || body.responseSchema !== undefined, {
    message: 'A form request needs a responseSchema',
    path: ['responseSchema'],
  });
/** What a client sends to create a request. */
export type CreateRequestInput = z.input<typeof createRequestBodySchema>;
/** A create body after defaults are applied. */
export type CreateRequestBody = z.output<typeof createRequestBodySchema>;

/** The body of `POST /v1/requests/:id/decisions`. */
export const decisionBodySchema = z
  .strictObject({
    outcome: decisionOutcomeSchema,
    reason: z.string().trim().min(1).max(4000).optional(),
    comment: z.string().max(4000).optional(),
    args: jsonObjectSchema.optional(),
    response: z.unknown().optional(),
    expectedVersion: z.int().min(1).optional(),
  })
  .superRefine((body, ctx) => {
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
  reason: z.string().trim().min(1).max(4000).optional(),
  expectedVersion: z.int().min(1).optional(),
});
export type CancelInput = z.input<typeof cancelBodySchema>;

/** The body of `PATCH /v1/requests/:id`: change a pending request's deadline, assignees or reminders. */
export const updateRequestBodySchema = z
  .strictObject({
    expectedVersion: z.int().min(1),
    /** A new deadline, or `null` to remove it. */
    deadline: isoTime.nullable().optional(),
    /** A new deadline counted from now. */
    timeout: durationSchema.optional(),
    assignees: z.array(assigneeSchema).max(50).optional(),
    /** Reminder times, replacing the pending ones. */
    reminders: z.array(isoTime).max(10).optional(),
    escalation: z
      .strictObject({
        at: isoTime,
        assignees: z.array(assigneeSchema).min(1).max(50),
        mode: z.enum(['add', 'replace']).default('add'),
      })
      .nullable()
      .optional(),
  })
  .refine((body) => !(body.deadline !== undefined && body.timeout !== undefined), {
    message: 'Give either deadline or timeout, not both',
  });
export type UpdateRequestInput = z.input<typeof updateRequestBodySchema>;

/** One reviewer's decision. */
export const decisionSchema = z.object({
  id: z.string(),
  outcome: decisionOutcomeSchema,
  /** Who decided, e.g. `user:alice`. */
  principal: z.string(),
  reason: z.string().optional(),
  comment: z.string().optional(),
  /** Edited arguments, for `edit`. */
  args: jsonObjectSchema.optional(),
  /** The human's answer, for `respond`. */
  response: z.unknown().optional(),
  /** Fingerprint of the tool call this decision is about (the edited one for `edit`). */
  fingerprint: z.string().optional(),
  decidedAt: isoTime,
});
export type Decision = z.infer<typeof decisionSchema>;

/** How a request ended. */
export const resolutionSchema = z.object({
  status: requestStatusSchema.exclude(['pending']),
  at: isoTime,
  /** Principals whose decisions resolved it (empty for expiry). */
  by: z.array(z.string()),
  reason: z.string().optional(),
  comment: z.string().optional(),
  /** The arguments that may run (original or edited), for `approved`. */
  args: jsonObjectSchema.optional(),
  /** The fingerprint of `tool.name` + `args`: the gate runs nothing else. */
  fingerprint: z.string().optional(),
  edited: z.boolean().optional(),
  response: z.unknown().optional(),
});
export type Resolution = z.infer<typeof resolutionSchema>;

/** An approval request as the server returns it. */
export const approvalRequestSchema = z.object({
  id: z.string(),
  kind: requestKindSchema,
  status: requestStatusSchema,
  /** Increases on every change; send it back as `expectedVersion`. */
  version: z.int().min(1),
  action: z.string(),
  question: z.string().optional(),
  tool: toolCallSchema.optional(),
  /** Fingerprint of `tool.name` + `tool.args`. */
  fingerprint: z.string().optional(),
  context: jsonObjectSchema,
  assignees: z.array(z.string()),
  quorum: z.int().min(1),
  /** The principal that created it, e.g. `agent:billing-bot`. */
  requester: z.string(),
  responseSchema: jsonSchemaDocumentSchema.optional(),
  callbackUrl: z.string().optional(),
  runId: z.string().optional(),
  toolCallId: z.string().optional(),
  metadata: jsonObjectSchema.optional(),
  /** The policy rule that asked, and this tool's rules, as the creator sent them. */
  policy: requestPolicySchema.optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
  deadline: isoTime.optional(),
  /** Reminder times still to come. */
  reminders: z.array(isoTime),
  escalation: z
    .object({
      at: isoTime,
      assignees: z.array(z.string()),
      mode: z.enum(['add', 'replace']),
      fired: z.boolean(),
    })
    .optional(),
  decisions: z.array(decisionSchema),
  resolution: resolutionSchema.optional(),
  links: z.object({ self: z.string(), wait: z.string(), events: z.string() }),
});
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

/** A page of requests. */
export const requestListSchema = z.object({
  items: z.array(approvalRequestSchema),
  nextCursor: z.string().nullable(),
});
export type RequestList = z.infer<typeof requestListSchema>;

import { z } from 'zod';

// Zod mirrors of the AXME request schemas (`../shared/axme/schemas`): one definition validates the
// routes' input and documents it in /openapi.json.

const agentAddress = z.string().min(3).max(383);
const uuid = z.uuid();
const jsonObject = z.record(z.string(), z.unknown());
const deadline = z.iso.datetime({ offset: true });
const reminderSeconds = z.int().min(1).max(31_622_400);
const maxReminders = z.int().min(1).max(10);
const escalationTarget = z.string().min(1).max(383);
const assigneeList = z.array(z.string().min(1).max(383)).max(20);
const actor = z.string().min(3).max(255).nullish().describe('Who acts (recorded, not trusted)');
const reasonText = z.string().max(2000).nullish();

/** The task types AXME defines; `attach_file` is refused (Countersign stores no files). */
export const humanTaskTypeSchema = z.enum([
  'approval',
  'review',
  'clarification',
  'provide_data',
  'attach_file',
  'manual_action',
  'confirmation',
  'validate_real_world',
  'validate_output',
  'assignment',
  'delegation',
  'reroute',
  'override',
  'escalate',
]);

/** `human_task` of a create (AXME `HumanTaskSpec`). */
export const humanTaskSchema = z.strictObject({
  // Required by the AXME schema; the SDK READMEs leave it out, so it defaults to the intent type.
  title: z
    .string()
    .max(255)
    .optional()
    .describe('What the human is asked (default: the intent type)'),
  // Not in the AXME schema but in its SDK READMEs.
  notify_email: z
    .string()
    .min(3)
    .max(383)
    .optional()
    .describe('The human to ask; added to the assignees'),
  description: z.string().max(2000).optional().describe('Details shown to the human'),
  task_type: humanTaskTypeSchema
    .optional()
    .describe('The kind of task (attach_file is refused: Countersign stores no files)'),
  allowed_outcomes: z
    .array(z.string().min(1).max(64))
    .min(1)
    .max(20)
    .optional()
    .describe('The outcomes the human may choose from'),
  required_comment: z.boolean().optional().describe('Whether a decision needs a comment'),
  assignees: z
    .array(z.string().min(1).max(383))
    .min(1)
    .max(20)
    .optional()
    .describe('Who may decide (emails or principal names)'),
  evidence_required: z.boolean().optional().describe('Whether the human must give evidence'),
  form_schema: jsonObject
    .optional()
    .describe('JSON Schema of the data a provide_data task asks for'),
});
export type HumanTask = z.infer<typeof humanTaskSchema>;

/** `POST /v1/intents` (AXME `api.intents.create.request.v1`). */
export const createIntentSchema = z.strictObject({
  intent_type: z
    .string()
    .max(255)
    .regex(/^[a-z0-9_]+(?:\.[a-z0-9_]+)+\.v[0-9]+$/)
    .describe('The intent type, e.g. intent.human_task.v1'),
  correlation_id: uuid
    .optional()
    .describe('Correlates related intents (AXME requires it; default: the intent id)'),
  from_agent: agentAddress
    .optional()
    .describe("Deprecated in AXME and ignored: the sender is the API key's principal"),
  to_agent: agentAddress.describe('The agent or human address the intent is for'),
  reply_to: agentAddress
    .optional()
    .describe('Where AXME would deliver the completion (Countersign does not deliver)'),
  payload: jsonObject.describe('The intent payload, shown to the human as context'),
  deadline_at: deadline.optional().describe('When the intent times out (TIMED_OUT)'),
  remind_after_seconds: reminderSeconds
    .optional()
    .describe('Seconds after creation of the first reminder'),
  remind_interval_seconds: reminderSeconds.optional().describe('Seconds between further reminders'),
  // Countersign keeps up to ten reminders per request.
  max_reminders: maxReminders.optional().describe('How many reminders at most (up to 10)'),
  escalate_to: escalationTarget
    .optional()
    .describe('Who is added to the assignees once the reminders run out'),
  max_delivery_attempts: z
    .int()
    .min(1)
    .optional()
    .describe('Accepted for AXME compatibility; Countersign delivers nothing'),
  human_task: humanTaskSchema.optional().describe('The task for a human (human_task intents)'),
});
export type CreateIntentBody = z.infer<typeof createIntentSchema>;

/** `POST /v1/intents/{id}/resolve`. */
export const resolveIntentSchema = z
  .strictObject({
    status: z.enum(['COMPLETED', 'FAILED', 'CANCELED']).describe('The final status'),
    actor,
    result: jsonObject.nullish().describe('The result (needed for COMPLETED)'),
    error: jsonObject.nullish().describe('The error (needed for FAILED)'),
    reason: reasonText.describe('Why (needed for CANCELED)'),
  })
  .superRefine((body, ctx) => {
    const needs = { COMPLETED: 'result', FAILED: 'error', CANCELED: 'reason' } as const;
    const field = needs[body.status];
    if (body[field] == null) {
      ctx.addIssue({ code: 'custom', path: [field], message: `${body.status} needs ${field}` });
    }
  });
export type ResolveIntentBody = z.infer<typeof resolveIntentSchema>;

const controlFields = {
  actor,
  reason: reasonText.describe('Why, recorded as the comment'),
  expected_policy_generation: z
    .int()
    .min(0)
    .nullish()
    .describe('The policy_generation the change is based on (409 when it moved on)'),
  internal_scheduler: z.boolean().optional().describe('Accepted for AXME compatibility; ignored'),
};

/** `POST /v1/intents/{id}/resume`. */
export const resumeIntentSchema = z.strictObject({
  approve_current_step: z
    .boolean()
    .default(true)
    .describe('Approve (true) or reject (false) the waiting step'),
  ...controlFields,
});

/** `POST /v1/intents/{id}/controls`: the keys Countersign applies are listed in the README. */
export const intentControlsSchema = z.strictObject({
  controls_patch: z
    .strictObject({
      deadline_at: deadline.nullish().describe('The new deadline; null removes it'),
      remind_after_seconds: reminderSeconds
        .optional()
        .describe('Seconds after creation of the first reminder'),
      remind_interval_seconds: reminderSeconds
        .optional()
        .describe('Seconds between further reminders'),
      max_reminders: maxReminders.optional().describe('How many reminders at most (up to 10)'),
    })
    .describe('The controls to change'),
  ...controlFields,
});

/** `POST /v1/intents/{id}/policy`: the grants are who may decide (assignees). */
export const intentPolicySchema = z.strictObject({
  grants_patch: z
    .strictObject({ assignees: assigneeList.describe('The new assignees (replaces them)') })
    .nullish()
    .describe('Who may decide'),
  envelope_patch: z
    .strictObject({
      escalate_to: escalationTarget
        .nullable()
        .describe('The new escalation target; null removes it'),
    })
    .nullish()
    .describe('Where the intent escalates'),
  ...controlFields,
});

/** `?since=` of the event list (AXME: an integer of at least 1). */
export const eventsQuerySchema = z.strictObject({
  since: z.coerce
    .number()
    .int()
    .min(0)
    .max(1e9)
    .optional()
    .describe('Only events with a seq above this'),
});

/** `?since=&wait_seconds=` of the event stream. */
export const streamQuerySchema = z.strictObject({
  since: z.coerce
    .number()
    .int()
    .min(0)
    .max(1e9)
    .default(0)
    .describe('Only events with a seq above this (Last-Event-ID wins when higher)'),
  wait_seconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .default(15)
    .describe('How long the window stays open before stream.timeout'),
});

const ownerFields = {
  owner_agent: z
    .string()
    .min(1)
    .max(383)
    .optional()
    .describe("Accepted for AXME compatibility; the inbox is the API key's principal's"),
};

/** `GET /v1/inbox`. */
export const inboxQuerySchema = z.strictObject({
  status: z.enum(['pending', 'active', 'done']).optional().describe('Only tasks in this state'),
  ...ownerFields,
});

/** `GET /v1/inbox/changes`. */
export const inboxChangesQuerySchema = z.strictObject({
  cursor: z
    .string()
    .regex(/^ev_\d{1,15}$/, { message: 'Expected a next_cursor of this server' })
    .optional()
    .describe('The next_cursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Changes per page at most'),
  ...ownerFields,
});

/** The query of one thread's routes. */
export const threadQuerySchema = z.strictObject(ownerFields);

/** `POST /v1/inbox/{id}/approve|reject`; `note` (used in the AXME SDK README) is the comment. */
export const inboxDecisionSchema = z
  .strictObject({
    comment: z.string().max(2000).nullish().describe('A comment on the decision'),
    note: z.string().max(2000).nullish().describe('The comment, as the AXME SDK README sends it'),
  })
  .transform(({ comment, note }) => ({ comment: comment ?? note }));
/** `POST /v1/inbox/{id}/reply`. */
export const inboxReplySchema = z.strictObject({
  message: z.string().min(1).max(5000).describe('The answer, recorded as the comment'),
});
/** `POST /v1/inbox/{id}/delegate`. */
export const inboxDelegateSchema = z.strictObject({
  delegate_to: z.string().min(3).max(255).describe('Who takes the task over'),
  note: z.string().max(2000).optional().describe('A note for the new assignee'),
});
/** `POST /v1/inbox/{id}/messages/delete`. */
export const inboxDeleteSchema = z.strictObject({
  mode: z.enum(['self', 'both']).describe('Whose copy to delete (nothing is stored to delete)'),
  message_ids: z
    .array(z.string().min(1))
    .min(1)
    .max(100)
    .optional()
    .describe('The messages to delete'),
  limit: z.int().min(1).max(100).optional().describe('How many of the latest messages'),
});
/** `POST /v1/approvals/{id}/decision`. */
export const approvalDecisionSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']).describe('The decision'),
  comment: z.string().max(1000).nullish().describe('A comment on the decision'),
});

import { z } from 'zod';

// Zod mirrors of the AXME request schemas (`../shared/axme/schemas`): one definition validates the
// routes' input and documents it in /openapi.json.

const agentAddress = z.string().min(3).max(383);
const uuid = z.uuid();
const jsonObject = z.record(z.string(), z.unknown());

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
  /** Required by the AXME schema; the SDK READMEs leave it out, so it defaults to the intent type. */
  title: z.string().max(255).optional(),
  /** Not in the AXME schema but in its SDK READMEs: the human to ask, added to `assignees`. */
  notify_email: z.string().min(3).max(383).optional(),
  description: z.string().max(2000).optional(),
  task_type: humanTaskTypeSchema.optional(),
  allowed_outcomes: z.array(z.string().min(1).max(64)).min(1).max(20).optional(),
  required_comment: z.boolean().optional(),
  assignees: z.array(z.string().min(1).max(383)).min(1).max(20).optional(),
  evidence_required: z.boolean().optional(),
  form_schema: jsonObject.optional(),
});
export type HumanTask = z.infer<typeof humanTaskSchema>;

/** `POST /v1/intents` (AXME `api.intents.create.request.v1`). */
export const createIntentSchema = z.strictObject({
  intent_type: z
    .string()
    .max(255)
    .regex(/^[a-z0-9_]+(?:\.[a-z0-9_]+)+\.v[0-9]+$/),
  /** Required by the AXME schema; Countersign uses the intent id when it is left out. */
  correlation_id: uuid.optional(),
  /** Deprecated in AXME and ignored: the sender is the API key's principal. */
  from_agent: agentAddress.optional(),
  to_agent: agentAddress,
  reply_to: agentAddress.optional(),
  payload: jsonObject,
  deadline_at: z.iso.datetime({ offset: true }).optional(),
  remind_after_seconds: z.int().min(1).max(31_622_400).optional(),
  remind_interval_seconds: z.int().min(1).max(31_622_400).optional(),
  /** At most 10: Countersign keeps up to ten reminders per request. */
  max_reminders: z.int().min(1).max(10).optional(),
  escalate_to: z.string().min(1).max(383).optional(),
  max_delivery_attempts: z.int().min(1).optional(),
  human_task: humanTaskSchema.optional(),
});
export type CreateIntentBody = z.infer<typeof createIntentSchema>;

/** `POST /v1/intents/{id}/resolve`. */
export const resolveIntentSchema = z
  .strictObject({
    status: z.enum(['COMPLETED', 'FAILED', 'CANCELED']),
    actor: z.string().min(3).max(255).nullish(),
    result: jsonObject.nullish(),
    error: jsonObject.nullish(),
    reason: z.string().max(2000).nullish(),
  })
  .superRefine((body, ctx) => {
    const needs = { COMPLETED: 'result', FAILED: 'error', CANCELED: 'reason' } as const;
    const field = needs[body.status];
    if (body[field] == null) {
      ctx.addIssue({ code: 'custom', path: [field], message: `${body.status} needs ${field}` });
    }
  });
export type ResolveIntentBody = z.infer<typeof resolveIntentSchema>;

const generation = z.int().min(0).nullish();
const controlFields = {
  actor: z.string().min(3).max(255).nullish(),
  reason: z.string().max(2000).nullish(),
  expected_policy_generation: generation,
  internal_scheduler: z.boolean().optional(),
};

/** `POST /v1/intents/{id}/resume`. */
export const resumeIntentSchema = z.strictObject({
  approve_current_step: z.boolean().default(true),
  ...controlFields,
});

/** `POST /v1/intents/{id}/controls`: the keys Countersign applies are listed in the README. */
export const intentControlsSchema = z.strictObject({
  controls_patch: z.strictObject({
    deadline_at: z.iso.datetime({ offset: true }).nullish(),
    remind_after_seconds: z.int().min(1).max(31_622_400).optional(),
    remind_interval_seconds: z.int().min(1).max(31_622_400).optional(),
    max_reminders: z.int().min(1).max(10).optional(),
  }),
  ...controlFields,
});

/** `POST /v1/intents/{id}/policy`: the grants are who may decide (assignees). */
export const intentPolicySchema = z.strictObject({
  grants_patch: z
    .strictObject({ assignees: z.array(z.string().min(1).max(383)).max(20) })
    .nullish(),
  envelope_patch: z.strictObject({ escalate_to: z.string().min(1).max(383).nullable() }).nullish(),
  ...controlFields,
});

/** `?since=` of the event list (AXME: an integer of at least 1). */
export const eventsQuerySchema = z.strictObject({
  since: z.coerce.number().int().min(0).max(1e9).optional(),
});

/** `?since=&wait_seconds=` of the event stream. */
export const streamQuerySchema = z.strictObject({
  since: z.coerce.number().int().min(0).max(1e9).default(0),
  wait_seconds: z.coerce.number().int().min(1).max(60).default(15),
});

const ownerFields = { owner_agent: z.string().min(1).max(383).optional() };

/** `GET /v1/inbox`. */
export const inboxQuerySchema = z.strictObject({
  status: z.enum(['pending', 'active', 'done']).optional(),
  ...ownerFields,
});

/** `GET /v1/inbox/changes`. */
export const inboxChangesQuerySchema = z.strictObject({
  cursor: z
    .string()
    .regex(/^ev_\d{1,15}$/, { message: 'Expected a next_cursor of this server' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  ...ownerFields,
});

/** The query of one thread's routes. */
export const threadQuerySchema = z.strictObject(ownerFields);

/** `POST /v1/inbox/{id}/approve|reject`; `note` (used in the AXME SDK README) is the comment. */
export const inboxDecisionSchema = z
  .strictObject({
    comment: z.string().max(2000).nullish(),
    note: z.string().max(2000).nullish(),
  })
  .transform(({ comment, note }) => ({ comment: comment ?? note }));
/** `POST /v1/inbox/{id}/reply`. */
export const inboxReplySchema = z.strictObject({ message: z.string().min(1).max(5000) });
/** `POST /v1/inbox/{id}/delegate`. */
export const inboxDelegateSchema = z.strictObject({
  delegate_to: z.string().min(3).max(255),
  note: z.string().max(2000).optional(),
});
/** `POST /v1/inbox/{id}/messages/delete`. */
export const inboxDeleteSchema = z.strictObject({
  mode: z.enum(['self', 'both']),
  message_ids: z.array(z.string().min(1)).min(1).max(100).optional(),
  limit: z.int().min(1).max(100).optional(),
});
/** `POST /v1/approvals/{id}/decision`. */
export const approvalDecisionSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(1000).nullish(),
});

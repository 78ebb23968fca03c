import { z } from 'zod';
import { durationSchema } from '../protocol/duration.js';
import { previewDescriptorSchema } from '../protocol/preview.js';
import {
  assigneeSchema,
  escalationSchema,
  jsonObjectSchema,
  requestKindSchema,
} from '../protocol/schemas.js';
import { isValidGlob } from './glob.js';

const actionSchema = z.enum(['allow', 'deny', 'require']);

const globSchema = z.string().refine(isValidGlob, {
  error: (issue) =>
    `bad glob ${JSON.stringify(issue.input)}: use letters, digits, "_ - . / :" and the wildcards * and ?`,
});

/** The `approval` block, both as the policy-wide defaults and inside a `require` rule. */
export const approvalBlockSchema = z.strictObject({
  kind: requestKindSchema.optional(),
  assignees: z.array(assigneeSchema).max(50).optional(),
  quorum: z.int().min(1).max(20).optional(),
  timeout: durationSchema.optional(),
  reminders: z.array(durationSchema).max(10).optional(),
  escalation: escalationSchema.optional(),
  onTimeout: z.enum(['deny', 'allow']).optional(),
  question: z.string().trim().min(1).max(4000).optional(),
  responseSchema: jsonObjectSchema.optional(),
  channel: z.enum(['server', 'elicit', 'elicit-then-server']).optional(),
  preview: previewDescriptorSchema.optional(),
});
export type ApprovalBlock = z.infer<typeof approvalBlockSchema>;

/**
 * Whether reviewers' grants may approve a rule's requests at once: `false`, `true`, or
 * `{ maxLifetime }` (allowed, for grants that live at most that long).
 */
export const grantsBlockSchema = z.union([
  z.boolean(),
  z.strictObject({ maxLifetime: durationSchema.optional() }),
]);
export type GrantsBlock = z.infer<typeof grantsBlockSchema>;

/** One rule of a policy file. */
export const ruleSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(128).optional(),
    /** Tool-name globs; omitted means every tool. */
    tools: z.union([globSchema, z.array(globSchema).min(1).max(200)]).optional(),
    /** A CEL condition over `tool`, `args`, `context` and `run`. */
    when: z.string().trim().min(1).max(4000).optional(),
    action: actionSchema,
    message: z.string().trim().min(1).max(2000).optional(),
    approval: approvalBlockSchema.optional(),
    /** Default: allowed for approvals with quorum 1, else false (or the file's `grants`). */
    grants: grantsBlockSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.message !== undefined && rule.action !== 'deny') {
      ctx.addIssue({
        code: 'custom',
        path: ['message'],
        message: 'only a deny rule has a message',
      });
    }
    if (rule.approval !== undefined && rule.action !== 'require') {
      ctx.addIssue({
        code: 'custom',
        path: ['approval'],
        message: 'only a require rule has an approval block',
      });
    }
    if (rule.grants !== undefined && rule.action !== 'require') {
      ctx.addIssue({ code: 'custom', path: ['grants'], message: 'only a require rule has grants' });
    }
  });
export type PolicyRule = z.infer<typeof ruleSchema>;

/** A whole policy file. Unknown keys anywhere are errors. */
export const policyFileSchema = z.strictObject({
  version: z.literal(1),
  default: actionSchema.default('require'),
  /** The message for the model when `default: deny` applies. */
  message: z.string().trim().min(1).max(2000).optional(),
  approval: approvalBlockSchema.optional(),
  /** Grants for the `default: require` and for rules without their own `grants`. */
  grants: grantsBlockSchema.optional(),
  rules: z.array(ruleSchema).max(1000).default([]),
});
/** A policy as written (what {@link definePolicy} accepts). */
export type PolicyDefinition = z.input<typeof policyFileSchema>;
/** A policy after validation and defaults. */
export type PolicyFile = z.output<typeof policyFileSchema>;

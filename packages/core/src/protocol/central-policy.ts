import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });

/** A central policy's name: what gates ask for with `remotePolicy(NAME)`. */
export const policyNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/)
  .describe('The policy name: lowercase letters, digits, "." "_" "-", up to 64 characters');

/** The body of `POST /v1/policies/{name}/versions`. */
export const pushPolicyBodySchema = z
  .strictObject({
    text: z
      .string()
      .min(1)
      .max(512 * 1024)
      .describe('The policy file, YAML or JSON, validated exactly like loadPolicy'),
    file: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe('The file name it came from: errors name it with the line and rule'),
  })
  .describe('A new version of a central policy');
export type PushPolicyBody = z.infer<typeof pushPolicyBodySchema>;

/** One stored version of a central policy. */
export const policyVersionSchema = z
  .object({
    name: z.string().describe('The policy name'),
    version: z.int().min(1).describe('The version number, 1, 2, 3, … per policy'),
    file: z.string().describe('The file name it was pushed from'),
    author: z.string().describe('Who pushed it, e.g. "user:alice"'),
    createdAt: isoTime.describe('When it was pushed'),
    state: z
      .enum(['proposed', 'approved', 'rejected'])
      .describe('proposed: waiting for its review request; approved: may be active'),
    requestId: z
      .string()
      .nullable()
      .describe('The review request of an approval-guarded push, or null'),
    active: z.boolean().describe('Whether gates run this version now'),
    shadow: z.boolean().describe('Whether gates evaluate this version in shadow'),
    text: z.string().optional().describe('The policy text (single-version answers only)'),
    diff: z
      .string()
      .optional()
      .describe('A unified line diff against the version that was active when it was pushed'),
  })
  .describe('One version of a central policy');
export type PolicyVersion = z.infer<typeof policyVersionSchema>;

/** `GET /v1/policies/{name}/versions`. */
export const policyVersionListSchema = z
  .object({ items: z.array(policyVersionSchema).describe('Every version, oldest first') })
  .describe('The versions of a policy');

/** One central policy in `GET /v1/policies`. */
export const policySummarySchema = z
  .object({
    name: z.string().describe('The policy name'),
    activeVersion: z.int().nullable().describe('The version gates run, or null before approval'),
    shadowVersion: z.int().nullable().describe('The version run in shadow, or null'),
    latestVersion: z.int().describe('The highest version pushed'),
    updatedAt: isoTime.describe('When the active or shadow version last changed'),
  })
  .describe('A central policy');
export const policyListSchema = z
  .object({ items: z.array(policySummarySchema).describe('Every central policy, by name') })
  .describe('The central policies');

/** The body of the rollback and shadow routes. */
export const policyVersionBodySchema = z
  .strictObject({ version: z.int().min(1).describe('An existing, approved version') })
  .describe('A version of the policy');

/** An emergency stop. */
export const stopSchema = z
  .object({
    scope: z.string().describe('all, agent:NAME or policy:NAME'),
    reason: z.string().describe('Why, as the operator wrote it; gates tell the model'),
    actor: z.string().describe('Who stopped it'),
    at: isoTime.describe('When'),
  })
  .describe('An emergency stop');
export type Stop = z.infer<typeof stopSchema>;

/**
 * What the model of a stopped agent is told, by its gate and by the server when a stopped agent
 * asks for approval anyway.
 */
export function stoppedMessage(stop: Pick<Stop, 'scope' | 'reason'>): string {
  return `An operator stopped this agent (emergency stop, scope ${stop.scope}): ${stop.reason}. The call did not run, and no call will run until an operator resumes the agent. Do not retry; tell the user.`;
}

/** The scope of a stop: everything, one agent (its API key name) or the gates of one policy. */
export const stopScopeSchema = z
  .string()
  .regex(/^(all|agent:[^\s]{1,128}|policy:[a-z0-9][a-z0-9._-]{0,63})$/)
  .describe('all, agent:NAME (the API key name) or policy:NAME');

/** The body of `POST /v1/stops`. */
export const stopBodySchema = z
  .strictObject({
    scope: stopScopeSchema,
    reason: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .optional()
      .describe('Why: shown to the model of every stopped agent'),
  })
  .describe('Stop every gate of a scope');
export const stopListSchema = z
  .object({ items: z.array(stopSchema).describe('The stops in force') })
  .describe('The emergency stops in force');
/** What `POST /v1/stops` answers. */
export const stopResultSchema = z
  .object({
    stop: stopSchema,
    cancelled: z.array(z.string()).describe('The pending requests of the scope it cancelled'),
  })
  .describe('The stop and what it cancelled');

/** A policy version as a gate runs it. */
export const controlPolicySchema = z
  .object({
    name: z.string().describe('The policy name'),
    version: z.int().describe('The version'),
    file: z.string().describe('The file name it was pushed from'),
    text: z.string().describe('The policy text'),
  })
  .describe('A policy version as gates run it');
export type ControlPolicy = z.infer<typeof controlPolicySchema>;

/**
 * What a gate following a central policy needs: the active version, the shadow version, and
 * whether an operator stopped it. `GET /v1/control` answers it (with an ETag); the
 * `/v1/control/stream` event stream sends it as `state` events on connect and on every change.
 */
export const controlStateSchema = z
  .object({
    etag: z.string().describe('Changes whenever anything else here changes'),
    policy: controlPolicySchema.nullable().describe('The active version, or null when none'),
    shadow: controlPolicySchema.nullable().describe('The version to evaluate in shadow, or null'),
    stop: stopSchema.nullable().describe('The stop that applies to this caller, or null'),
  })
  .describe('What a gate following a central policy runs');
export type ControlState = z.infer<typeof controlStateSchema>;

const reportedDecisionSchema = z
  .strictObject({
    action: z.enum(['allow', 'deny', 'require']).describe('What the version decided'),
    rule: z.string().max(200).optional().describe('The deciding rule; absent for the default'),
  })
  .describe('A decision');

/** The body of `POST /v1/policies/{name}/shadow-reports`, sent by gates. */
export const shadowReportBodySchema = z
  .strictObject({
    activeVersion: z.int().min(1).describe('The active version the gate ran'),
    shadowVersion: z.int().min(1).describe('The shadow version it evaluated beside it'),
    evaluations: z.int().min(0).max(1_000_000).describe('Calls evaluated since the last report'),
    disagreements: z
      .int()
      .min(0)
      .max(1_000_000)
      .describe('Of those, calls the versions decided differently'),
    samples: z
      .array(
        z
          .strictObject({
            toolName: z.string().max(256).describe('The tool called'),
            active: reportedDecisionSchema,
            shadow: reportedDecisionSchema,
            at: isoTime.describe('When'),
          })
          .describe('One disagreeing call (no arguments: they may be sensitive)'),
      )
      .max(20)
      .describe('A few disagreeing calls'),
  })
  .describe('What a gate saw of a shadow version');
export type ShadowReportBody = z.infer<typeof shadowReportBodySchema>;

/** The server's running totals for one active/shadow pair. */
export const shadowReportSchema = z
  .object({
    name: z.string().describe('The policy name'),
    activeVersion: z.int().describe('The active version'),
    shadowVersion: z.int().describe('The shadow version'),
    evaluations: z.int().describe('Calls evaluated under both, over all gates'),
    disagreements: z.int().describe('Calls the two decided differently'),
    samples: z
      .array(z.record(z.string(), z.unknown()))
      .describe('The latest disagreeing calls (up to 50)'),
    updatedAt: isoTime.describe('When a gate last reported'),
  })
  .describe('Shadow-mode evidence for one active/shadow pair');
export const shadowReportListSchema = z
  .object({ items: z.array(shadowReportSchema).describe('Newest first') })
  .describe('Shadow-mode evidence of a policy');

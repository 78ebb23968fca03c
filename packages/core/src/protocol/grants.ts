import { z } from 'zod';
import { durationSchema } from './duration.js';
import { GRANT_CONDITION_MAX_LENGTH } from './grant-conditions.js';
import { GRANT_APPLIES_TO, GRANT_STATUSES } from './wire-values.js';

const isoTime = z.iso.datetime({ offset: true });
/** Tool-name globs: the characters a policy's `tools:` accepts, with `*` and `?`. */
const toolGlob = z.string().regex(/^[A-Za-z0-9_.:/*?-]{1,256}$/, {
  message: 'Use letters, digits, "_ - . / :" and the wildcards * and ?',
});
const condition = z.string().trim().min(1).max(GRANT_CONDITION_MAX_LENGTH);
const appliesTo = z
  .enum(GRANT_APPLIES_TO)
  .describe('Whom the grant covers: "run" (this run of this agent), "agent" or "any" agent');
const maxUses = z
  .int()
  .min(1)
  .max(1_000_000)
  .describe('How many requests the grant may approve; absent: any number until it expires');
const lifetime = durationSchema.describe(
  'How long the grant lives, e.g. "1h" (default 1h, or the cap when shorter; capped by the server and the policy rule)',
);

/** A grant a reviewer adds to an approval: "allow calls like this". Every field has a default. */
export const grantSpecSchema = z
  .strictObject({
    tool: toolGlob
      .optional()
      .describe("The tool name or glob the grant covers (default: the request's tool)"),
    when: condition
      .optional()
      .describe(
        "A CEL condition over args, context, tool and run (default: exactly the arguments approved, a reviewer's edit if there is one)",
      ),
    lifetime: lifetime.optional(),
    maxUses: maxUses.optional(),
    appliesTo: appliesTo.optional().describe('Whom the grant covers (default "agent")'),
  })
  .describe('A grant added to an approval: later requests like this one are approved at once');
export type GrantSpec = z.infer<typeof grantSpecSchema>;

/** The body of `POST /v1/grants` (admins): a grant made directly, not from a request. */
export const createGrantBodySchema = z
  .strictObject({
    tool: toolGlob.describe('The tool name or glob the grant covers'),
    when: condition
      .optional()
      .describe('A CEL condition over args, context, tool and run (default: any arguments)'),
    lifetime: lifetime.optional(),
    maxUses: maxUses.optional(),
    appliesTo: appliesTo.default('agent'),
    agent: z
      .string()
      .regex(/^agent:[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/)
      .optional()
      .describe('For "agent" and "run": the agent, e.g. "agent:billing-bot"'),
    runId: z.string().min(1).max(256).optional().describe('For "run": the run id'),
  })
  .superRefine((body, ctx) => {
    if (body.appliesTo !== 'any' && body.agent === undefined) {
      ctx.addIssue({ code: 'custom', path: ['agent'], message: `"${body.appliesTo}" needs agent` });
    }
    if (body.appliesTo === 'run' && body.runId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['runId'], message: '"run" needs runId' });
    }
    if (body.appliesTo === 'any' && (body.agent !== undefined || body.runId !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['appliesTo'],
        message: '"any" takes no agent or runId',
      });
    }
    if (body.appliesTo === 'agent' && body.runId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['runId'], message: '"agent" takes no runId' });
    }
  })
  .describe('A grant an admin makes directly');
export type CreateGrantInput = z.input<typeof createGrantBodySchema>;

/** The body of `POST /v1/grants/{id}/revoke`. */
export const revokeGrantBodySchema = z
  .strictObject({
    reason: z.string().trim().min(1).max(2000).optional().describe('Why the grant was revoked'),
  })
  .describe('Revoking a grant');

/** A grant as the server returns it. */
export const grantSchema = z
  .object({
    id: z.string().describe('The grant id, "g_…"'),
    status: z.enum(GRANT_STATUSES).describe('Where the grant stands now'),
    tool: z.string().describe('The tool name or glob it covers'),
    when: z.string().describe('The CEL condition a call must meet'),
    appliesTo: appliesTo,
    agent: z.string().optional().describe('The agent it covers, for "agent" and "run"'),
    runId: z.string().optional().describe('The run it covers, for "run"'),
    grantedBy: z.string().describe('Who made it, e.g. "user:alice"'),
    createdAt: isoTime.describe('When it was made'),
    expiresAt: isoTime.describe('When it stops approving'),
    maxUses: z.int().optional().describe('How many requests it may approve; absent: no limit'),
    uses: z.int().min(0).describe('How many requests it has approved'),
    assignees: z
      .array(z.string())
      .describe('The assignees of the request it came from (empty: made directly)'),
    fromRequest: z.string().optional().describe('The request whose approval added it'),
    revokedAt: isoTime.optional().describe('When it was revoked'),
    revokedBy: z.string().optional().describe('Who revoked it'),
    revokeReason: z.string().optional().describe('Why it was revoked'),
  })
  .describe('A grant: requests it matches are approved at once, on behalf of its granter');
export type Grant = z.infer<typeof grantSchema>;

/** A list of grants, newest first. */
export const grantListSchema = z
  .object({ items: z.array(grantSchema).describe('The grants, newest first') })
  .describe('Grants the caller may see');
export type GrantList = z.infer<typeof grantListSchema>;

/** How a grant decided a request: `approved by grant g_… (granted by user:alice at …)`. */
export const grantReferenceSchema = z
  .object({
    id: z.string().describe('The grant id'),
    grantedBy: z.string().describe('Who made the grant'),
    grantedAt: isoTime.describe('When the grant was made'),
  })
  .describe('The grant that approved the request, when one did');
export type GrantReference = z.infer<typeof grantReferenceSchema>;

import { z } from 'zod';
import { durationSchema } from './duration.js';
import { assigneeSchema } from './schemas.js';

const ruleNameSchema = z.string().min(1).max(200);
const actionSchema = z.enum(['allow', 'deny', 'require']);

/** Whether reviewers' grants may approve requests of a rule at once, and for how long at most. */
export const scopeGrantsSchema = z
  .union([
    z.literal(false),
    z.strictObject({
      maxLifetime: durationSchema
        .optional()
        .describe('The longest lifetime a grant may have to approve under this rule'),
    }),
  ])
  .describe(
    'false: grants never approve under this rule; an object: they may. Absent: allowed when the request is an approval with quorum 1',
  );
export type ScopeGrants = z.infer<typeof scopeGrantsSchema>;

/** One policy rule as a request carries it: enough to tell where edited arguments land. */
export const scopeRuleSchema = z
  .strictObject({
    name: ruleNameSchema.describe("The rule's name (#N, 1-based, for an unnamed rule)"),
    action: actionSchema.describe('What the rule decides'),
    when: z
      .string()
      .min(1)
      .max(4000)
      .optional()
      .describe(
        "The rule's CEL condition over args, context, tool and run; absent: always matches",
      ),
    assignees: z
      .array(assigneeSchema)
      .max(50)
      .optional()
      .describe('For require: who may approve under this rule (empty or absent: any reviewer)'),
    grants: scopeGrantsSchema.optional(),
  })
  .describe('One policy rule as a request carries it');
export type ScopeRule = z.infer<typeof scopeRuleSchema>;

/**
 * The policy that sent a tool call to a human, as far as this tool goes: the identity of the rule
 * that matched, and the policy's rules for this tool in order, with the default. The gate sends
 * it so the server can refuse an edit whose arguments fall under another `require` rule the
 * editor may not approve under (the gate then re-asks under that rule for any other edit).
 */
export const requestPolicySchema = z
  .strictObject({
    rule: ruleNameSchema
      .optional()
      .describe("The rule that matched; absent when the policy's default applied"),
    rules: z
      .array(scopeRuleSchema)
      .max(200)
      .describe(
        'The rules whose tool patterns match this tool, in file order: the first match wins',
      ),
    default: z
      .strictObject({
        action: actionSchema.describe('What the default decides'),
        assignees: z
          .array(assigneeSchema)
          .max(50)
          .optional()
          .describe('For require: who may approve under the default'),
        grants: scopeGrantsSchema.optional(),
      })
      .describe('What applies when no rule matches'),
  })
  .describe('The policy that asked, as far as this tool goes');
export type RequestPolicy = z.infer<typeof requestPolicySchema>;

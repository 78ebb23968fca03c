import { z } from 'zod';
import { GRANT_APPLIES_TO } from './wire-values.js';

const duration = z.string();

/** What a reviewer may choose for a grant added to an approval of one request. */
export const grantChoicesSchema = z.object({
  exact: z
    .string()
    .describe(
      "The condition for exactly the arguments approving would approve (a reviewer's edit, if any)",
    ),
  bounded: z
    .string()
    .optional()
    .describe(
      'Every number bounded by its value, the other arguments exact; absent without numbers',
    ),
  lifetimes: z
    .array(duration)
    .describe("The lifetimes offered, shortest first, none past the server's or the rule's cap"),
  defaultLifetime: duration.describe(
    'The lifetime a grant gets when none is given: 1h, or the cap when shorter',
  ),
  maxLifetime: duration.describe("The longest lifetime the server and the request's rule accept"),
  appliesTo: z
    .array(z.enum(GRANT_APPLIES_TO))
    .describe('Whom the grant may cover; "run" only for a request with a run id'),
});
export type GrantChoices = z.infer<typeof grantChoicesSchema>;

/**
 * The answer of `GET /v1/requests/{id}/grant-options`: whether approving the request may add a
 * grant and, if so, the choices, computed by the server as for the Slack modal and the email page.
 */
export const grantOptionsSchema = z
  .discriminatedUnion('allowed', [
    z.object({
      allowed: z
        .literal(false)
        .describe('The policy rule of the request forbids grants (or it names no rule)'),
    }),
    grantChoicesSchema.extend({
      allowed: z.literal(true).describe('An approval of the request may add a grant'),
    }),
  ])
  .describe('The grant an approval of this request may add');
export type GrantOptions = z.infer<typeof grantOptionsSchema>;

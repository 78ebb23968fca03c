import { z } from 'zod';
import { zodDetails } from '../http/http-errors.js';
import { parseBoundedJson } from '../http/read-input.js';
import { fail } from '../service/failures.js';
import type { ResolvedInputLimits } from '../service/input-limits.js';

const slackId = z.string().min(1).max(64);

// Only the parts of Slack's interaction payloads that Countersign reads; Slack adds fields freely,
// so unknown ones are let through and ignored.
const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: slackId }),
  trigger_id: z.string().max(256).optional(),
  channel: z.looseObject({ id: slackId }).optional(),
  actions: z
    .array(
      z.looseObject({
        action_id: z.string().max(255),
        value: z.string().max(2000).optional(),
      }),
    )
    .min(1)
    .max(5),
});

const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  user: z.looseObject({ id: slackId }),
  view: z.looseObject({
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000).optional(),
    state: z
      .looseObject({
        values: z.record(
          z.string(),
          z.record(
            z.string(),
            z.looseObject({
              value: z.string().nullish(),
              selected_option: z.looseObject({ value: z.string().max(200) }).nullish(),
            }),
          ),
        ),
      })
      .optional(),
  }),
});

const otherInteraction = z.looseObject({
  type: z.string().max(64),
});

/** An interaction as Countersign reads it. */
export type SlackInteraction =
  | z.output<typeof blockActions>
  | z.output<typeof viewSubmission>
  | { type: 'other' };

/**
 * The interaction in a verified form-encoded body: its `payload` field, JSON within the server's
 * input limits. Anything else is a 4xx that names the problem.
 */
export function parseInteraction(body: string, limits: ResolvedInputLimits): SlackInteraction {
  const payload = new URLSearchParams(body).get('payload');
  if (payload === null) {
    throw fail('validation_failed', 'The body has no payload field (Slack sends payload=JSON)');
  }
  const value = parseBoundedJson(payload, limits, 'The payload field');
  const kind = otherInteraction.safeParse(value);
  if (!kind.success)
    throw fail(
      'validation_failed',
      'The payload is not a Slack interaction',
      zodDetails(kind.error),
    );
  const schema =
    kind.data.type === 'block_actions'
      ? blockActions
      : kind.data.type === 'view_submission'
        ? viewSubmission
        : undefined;
  if (!schema) return { type: 'other' };
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw fail(
      'validation_failed',
      `The ${kind.data.type} payload is malformed`,
      zodDetails(parsed.error),
    );
  }
  return parsed.data;
}

/** What the Approve and Reject buttons and the reject modal carry: the request and its arguments. */
export const buttonValueSchema = z.strictObject({
  id: z.string().min(1).max(200),
  fingerprint: z.string().max(200).optional(),
  channel: z.string().max(64).optional(),
});

/** Reads a button's value or a modal's metadata; a 400 when it is not one of ours. */
export function readButtonValue(text: string | undefined): z.output<typeof buttonValueSchema> {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw fail('validation_failed', 'The action value is not one Countersign made');
  }
  const parsed = buttonValueSchema.safeParse(value);
  if (!parsed.success)
    throw fail('validation_failed', 'The action value is not one Countersign made');
  return parsed.data;
}

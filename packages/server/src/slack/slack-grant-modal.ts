import {
  type ApprovalRequest,
  type GrantChoices,
  grantAppliesToLabel,
} from '@countersign/core/protocol';
import type { PlainTextOption, View } from '@slack/types';
import type { GrantField, GrantForm } from '../service/grant-choices.js';
import { codeText, mrkdwnText, plain, SLACK_LIMITS, truncate } from './slack-text.js';

/** The grant modal's callback id and the block and action id of each of its fields. */
export const GRANT_MODAL = {
  callbackId: 'countersign_grant_modal',
  blocks: {
    scope: 'countersign_grant_scope',
    when: 'countersign_grant_when',
    lifetime: 'countersign_grant_lifetime',
    maxUses: 'countersign_grant_uses',
    appliesTo: 'countersign_grant_for',
  } satisfies Record<GrantField, string>,
  /** Every field's action id is its block id with this suffix. */
  inputSuffix: '_input',
} as const;

/** Slack's longest option text. */
const OPTION_TEXT = 75;
/** Slack's longest `plain_text_input` value. */
const INPUT_TEXT = 3000;

const option = (value: string, text: string): PlainTextOption => ({
  value,
  text: plain(text, OPTION_TEXT),
});
const actionOf = (field: GrantField) => `${GRANT_MODAL.blocks[field]}${GRANT_MODAL.inputSuffix}`;

/**
 * The modal of "Approve and allow similar…": the grant's fields, prefilled as the dashboard does
 * (exactly these arguments, every number bounded by its value, or a condition of one's own; 1 h;
 * this agent). Submitting approves and adds the grant; `metadata` comes back with it.
 */
export function grantModal(
  request: ApprovalRequest,
  choices: GrantChoices,
  metadata: string,
): View {
  const scopes = [
    option('exact', 'Exactly these arguments'),
    ...(choices.bounded ? [option('bounded', 'Every number up to its value (shown below)')] : []),
    option('custom', 'The condition below (CEL)'),
  ];
  const appliesTo = choices.appliesTo.map((value) =>
    option(value, grantAppliesToLabel(value, request.requester)),
  );
  const lifetimes = choices.lifetimes.map((value) => option(value, value));
  const prefill = choices.bounded ?? choices.exact;
  const tool = request.tool?.name ?? '';
  return {
    type: 'modal',
    callback_id: GRANT_MODAL.callbackId,
    private_metadata: metadata,
    title: plain('Approve and allow', SLACK_LIMITS.modalTitle),
    submit: plain('Approve', SLACK_LIMITS.modalTitle),
    close: plain('Cancel', SLACK_LIMITS.modalTitle),
    blocks: [
      { type: 'section', text: plain(request.action) },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Later calls of \`${mrkdwnText(tool, 200)}\` that match are approved at once on your behalf, until the grant expires, is used up or is revoked (the dashboard's Grants page).`,
        },
      },
      {
        type: 'input',
        block_id: GRANT_MODAL.blocks.scope,
        label: plain('Which calls', 2000),
        element: {
          type: 'radio_buttons',
          action_id: actionOf('scope'),
          options: scopes,
          initial_option: scopes[0] as PlainTextOption,
        },
      },
      ...(choices.bounded
        ? [
            {
              type: 'context' as const,
              elements: [
                {
                  type: 'mrkdwn' as const,
                  text: codeText(choices.bounded, SLACK_LIMITS.sectionText),
                },
              ],
            },
          ]
        : []),
      {
        type: 'input',
        block_id: GRANT_MODAL.blocks.when,
        optional: true,
        label: plain('Condition, for "The condition below"', 2000),
        hint: plain('CEL over args, context, tool and run, e.g. args.amount <= 500', 2000),
        element: {
          type: 'plain_text_input',
          action_id: actionOf('when'),
          multiline: true,
          max_length: INPUT_TEXT,
          ...(prefill.length <= INPUT_TEXT ? { initial_value: prefill } : {}),
        },
      },
      {
        type: 'input',
        block_id: GRANT_MODAL.blocks.lifetime,
        label: plain('For how long', 2000),
        element: {
          type: 'static_select',
          action_id: actionOf('lifetime'),
          options: lifetimes,
          initial_option: option(choices.defaultLifetime, choices.defaultLifetime),
        },
      },
      {
        type: 'input',
        block_id: GRANT_MODAL.blocks.maxUses,
        optional: true,
        label: plain('At most this many calls (empty: no limit)', 2000),
        element: {
          type: 'number_input',
          action_id: actionOf('maxUses'),
          is_decimal_allowed: false,
          min_value: '1',
          max_value: '1000000',
        },
      },
      {
        type: 'input',
        block_id: GRANT_MODAL.blocks.appliesTo,
        label: plain('For', 2000),
        element: {
          type: 'static_select',
          action_id: actionOf('appliesTo'),
          options: appliesTo,
          initial_option: appliesTo[0] as PlainTextOption,
        },
      },
    ],
  };
}

/** A submitted input as Slack sends it: a text value, or the option chosen. */
export interface SubmittedInput {
  value?: string | null | undefined;
  selected_option?: { value: string } | null | undefined;
}

/** The grant form in a submitted modal's state (`view.state.values`). */
export function grantFormFromModal(
  values: Record<string, Record<string, SubmittedInput>>,
): GrantForm {
  const read = (field: GrantField) => {
    const input = values[GRANT_MODAL.blocks[field]]?.[actionOf(field)];
    return input?.selected_option?.value ?? input?.value ?? undefined;
  };
  return {
    scope: read('scope'),
    when: read('when'),
    lifetime: read('lifetime'),
    maxUses: read('maxUses'),
    appliesTo: read('appliesTo'),
  };
}

/** The modal's answer that shows `text` at `field` and decides nothing. */
export function grantModalProblem(field: GrantField, text: string) {
  return {
    response_action: 'errors',
    errors: { [GRANT_MODAL.blocks[field]]: truncate(text, 2000) },
  };
}

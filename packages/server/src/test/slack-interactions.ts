import { createHmac } from 'node:crypto';

/** A body and headers exactly as Slack sends an interaction to the Request URL. */
export interface SignedInteraction {
  body: string;
  headers: Record<string, string>;
}

/**
 * Signs a body the way Slack does: `X-Slack-Signature` is `v0=` + hex HMAC-SHA256 of
 * `v0:{timestamp}:{body}` with the signing secret. Written apart from the server's own check so a
 * mistake there shows.
 */
export function signBody(
  signingSecret: string,
  body: string,
  options: { timestampSeconds?: number } = {},
): SignedInteraction {
  const timestamp = String(options.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const mac = createHmac('sha256', signingSecret);
  mac.update(`v0:${timestamp}:${body}`);
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${mac.digest('hex')}`,
    },
  };
}

/** An interaction as Slack posts it: `payload=` and the JSON, form encoded, then signed. */
export function signInteraction(
  signingSecret: string,
  payload: unknown,
  options: { timestampSeconds?: number } = {},
): SignedInteraction {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signBody(signingSecret, body, options);
}

/** A `block_actions` payload for a click on one of a message's buttons. */
export function buttonClick(
  slackUserId: string,
  actionId: string,
  value: string | undefined,
  channel = 'C0DEPLOYS',
): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T0001', domain: 'example' },
    user: { id: slackUserId, username: slackUserId.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.1.abcdef`,
    channel: { id: channel, name: 'deploys' },
    container: { type: 'message', channel_id: channel, message_ts: '1700000000.000001' },
    response_url: 'http://127.0.0.1:9/unused',
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'countersign',
        ...(value === undefined ? {} : { value }),
        action_ts: '1700000001.000001',
      },
    ],
  };
}

/** One field of a submitted modal: a text (or number) input's `value`, or the option chosen. */
export interface ModalInput {
  block: string;
  action: string;
  /** What was typed in a text or number input. */
  value?: string;
  /** The value of the option chosen in radio buttons or a select menu. */
  selected?: string;
}

/** A `view_submission` payload for a submitted modal with these inputs, as Slack sends it. */
export function modalSubmission(
  slackUserId: string,
  view: { callback_id: string; private_metadata?: string },
  inputs: ModalInput | ModalInput[],
): Record<string, unknown> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const input of Array.isArray(inputs) ? inputs : [inputs]) {
    values[input.block] = {
      [input.action]:
        input.selected === undefined
          ? { type: 'plain_text_input', value: input.value ?? null }
          : { type: 'static_select', selected_option: { value: input.selected } },
    };
  }
  return {
    type: 'view_submission',
    team: { id: 'T0001', domain: 'example' },
    user: { id: slackUserId, team_id: 'T0001' },
    api_app_id: 'A0001',
    trigger_id: `${Date.now()}.2.abcdef`,
    view: { id: 'V0001', type: 'modal', ...view, state: { values } },
  };
}

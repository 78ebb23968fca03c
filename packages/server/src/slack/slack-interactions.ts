import { CountersignError } from '@countersign/core/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../http/auth-middleware.js';
import { readBody } from '../http/read-body.js';
import { DEFAULT_BODY_LIMIT } from '../http/read-input.js';
import { fail } from '../service/failures.js';
import { grantFieldOf } from '../service/grant-choices.js';
import { DEFAULT_INPUT_LIMITS, type ResolvedInputLimits } from '../service/input-limits.js';
import type { ServiceContext } from '../service/service-context.js';
import { SLACK_ACTIONS } from './slack-blocks.js';
import { decideFromSlack } from './slack-decide.js';
import { GRANT_MODAL, grantFormFromModal, grantModalProblem } from './slack-grant-modal.js';
import { openDecisionModal } from './slack-modal-open.js';
import type { SlackSetup } from './slack-options.js';
import { parseInteraction, readButtonValue, type SlackInteraction } from './slack-payload.js';
import type { SlackPeople } from './slack-people.js';
import { checkSlackSignature } from './slack-signature.js';

/** The path Slack's "Interactivity & Shortcuts" Request URL points at. */
export const SLACK_INTERACTIONS_PATH = '/integrations/slack/interactions';

const DECIDING_ACTIONS = new Set<string>([
  SLACK_ACTIONS.approve,
  SLACK_ACTIONS.approveWithGrant,
  SLACK_ACTIONS.reject,
]);

type BlockActions = Extract<SlackInteraction, { type: 'block_actions' }>;
type ViewSubmission = Extract<SlackInteraction, { type: 'view_submission' }>;

const UNLINKED =
  'You may not decide this: your Slack account is not linked to an active Countersign user.';

/** Why a Slack user's click changed nothing, in words for them. */
function refusal(error: unknown): string | undefined {
  if (!CountersignError.isInstance(error)) return undefined;
  if (error.code === 'forbidden' || error.code === 'not_found') {
    return `You may not decide this: ${error.message}.`;
  }
  if (
    [
      'already_decided',
      'conflict',
      'version_conflict',
      'unprocessable',
      'validation_failed',
    ].includes(error.code)
  ) {
    return `Nothing changed: ${error.message}.`;
  }
  return undefined;
}

/**
 * `POST /integrations/slack/interactions`: button clicks and the reject modal. Each request must
 * carry Slack's v0 signature of its exact body, made within the last 5 minutes; the Slack user is
 * mapped to a directory user and decides as them, with every check of the decision service.
 */
export function slackInteractionRoutes(
  context: ServiceContext,
  slack: SlackSetup | undefined,
  people: SlackPeople,
  logError: (error: unknown) => void,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tell = async (channel: string | undefined, user: string, text: string) => {
    if (!slack || !channel) return;
    await slack.client.chat.postEphemeral({ channel, user, text }).catch(logError);
  };

  const principalOf = (slackUserId: string) =>
    context.store.read((tx) => people.principalOf(tx, slackUserId));

  async function onAction(setup: SlackSetup, payload: BlockActions): Promise<void> {
    const action = payload.actions[0];
    if (!action || action.action_id === SLACK_ACTIONS.open) return;
    if (!DECIDING_ACTIONS.has(action.action_id)) return;
    const value = readButtonValue(action.value);
    const channel = payload.channel?.id;
    const principal = await principalOf(payload.user.id);
    if (!principal) {
      await tell(channel, payload.user.id, UNLINKED);
      return;
    }
    if (action.action_id !== SLACK_ACTIONS.approve) {
      const told = await openDecisionModal(
        context,
        setup,
        principal,
        { actionId: action.action_id, value, channel, triggerId: payload.trigger_id },
        logError,
      );
      if (told !== undefined) await tell(channel, payload.user.id, told);
      return;
    }
    try {
      await decideFromSlack(context, principal, {
        id: value.id,
        fingerprint: value.fingerprint,
        outcome: 'approve',
      });
    } catch (error) {
      const text = refusal(error);
      if (text === undefined) throw error;
      await tell(channel, payload.user.id, text);
    }
  }

  /** The grant modal's submission: approves and adds the grant, or shows why not in the modal. */
  async function onGrantSubmit(
    payload: ViewSubmission,
  ): Promise<Record<string, unknown> | undefined> {
    const value = readButtonValue(payload.view.private_metadata);
    const principal = await principalOf(payload.user.id);
    if (!principal) return grantModalProblem('scope', UNLINKED);
    try {
      await decideFromSlack(context, principal, {
        id: value.id,
        fingerprint: value.fingerprint,
        outcome: 'approve',
        grant: grantFormFromModal(payload.view.state?.values ?? {}),
      });
      return undefined;
    } catch (error) {
      const text = refusal(error);
      if (text === undefined) throw error;
      return grantModalProblem(grantFieldOf(error), text);
    }
  }

  /** A modal's submission: decides, or shows why not inside the modal. */
  async function onSubmit(payload: ViewSubmission): Promise<Record<string, unknown> | undefined> {
    if (payload.view.callback_id === GRANT_MODAL.callbackId) return onGrantSubmit(payload);
    if (payload.view.callback_id !== SLACK_ACTIONS.rejectModal) return undefined;
    const value = readButtonValue(payload.view.private_metadata);
    const reason =
      payload.view.state?.values[SLACK_ACTIONS.reasonBlock]?.[
        SLACK_ACTIONS.reasonInput
      ]?.value?.trim();
    const problem = (text: string) => ({
      response_action: 'errors',
      errors: { [SLACK_ACTIONS.reasonBlock]: text },
    });
    if (!reason) return problem('A rejection needs a reason.');
    const principal = await principalOf(payload.user.id);
    if (!principal) return problem(UNLINKED);
    try {
      await decideFromSlack(context, principal, {
        id: value.id,
        fingerprint: value.fingerprint,
        outcome: 'reject',
        reason,
      });
      return undefined;
    } catch (error) {
      const text = refusal(error);
      if (text === undefined) throw error;
      return problem(text);
    }
  }

  app.post(SLACK_INTERACTIONS_PATH, async (c) => {
    if (!slack) throw fail('not_found', 'Slack is not configured on this server');
    const body = await readBody(
      c,
      (c.get('bodyLimit') as number | undefined) ?? DEFAULT_BODY_LIMIT,
    );
    const refused = checkSlackSignature(
      slack.signingSecret,
      {
        timestamp: c.req.header('x-slack-request-timestamp'),
        signature: c.req.header('x-slack-signature'),
        body,
      },
      context.clock.now(),
    );
    if (refused) throw fail('unauthorized', refused);
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
      throw fail(
        'unsupported_media_type',
        'Slack sends interactions as application/x-www-form-urlencoded',
        { contentType: type },
      );
    }
    const limits =
      (c.get('inputLimits') as ResolvedInputLimits | undefined) ?? DEFAULT_INPUT_LIMITS;
    const payload = parseInteraction(body, limits);
    if (payload.type === 'block_actions') {
      await onAction(slack, payload);
      return c.body(null, 200);
    }
    if (payload.type === 'view_submission') {
      const answer = await onSubmit(payload);
      return answer ? c.json(answer, 200) : c.body(null, 200);
    }
    return c.body(null, 200);
  });
  return app;
}

import type { ApprovalRequest } from '@countersign/core/protocol';
import type { View } from '@slack/types';
import { isEligibleReviewer, type Principal } from '../auth/principal.js';
import { fail } from '../service/failures.js';
import { grantChoicesFor } from '../service/grant-choices.js';
import type { ServiceContext } from '../service/service-context.js';
import { rejectModal, SLACK_ACTIONS } from './slack-blocks.js';
import { grantModal } from './slack-grant-modal.js';
import type { SlackSetup } from './slack-options.js';
import type { readButtonValue } from './slack-payload.js';

/** What a click that opens a modal carries. */
export interface ModalClick {
  /** `SLACK_ACTIONS.reject` or `SLACK_ACTIONS.approveWithGrant`. */
  actionId: string;
  value: ReturnType<typeof readButtonValue>;
  channel: string | undefined;
  triggerId: string | undefined;
}

/** The modal a click asks for, or why the person may not have it (in words for them). */
function modalFor(
  context: ServiceContext,
  principal: Principal,
  request: ApprovalRequest | undefined,
  click: ModalClick,
): View | string {
  const id = click.value.id;
  if (!request || !isEligibleReviewer(principal, request) || request.requester === principal.id) {
    const why =
      request?.requester === principal.id
        ? 'The requester cannot decide its own request'
        : `${principal.id} is not an assignee of request ${id}`;
    return `You may not decide this: ${why}.`;
  }
  if (request.status !== 'pending') {
    return `Nothing changed: Request ${request.id} is already ${request.status}.`;
  }
  const metadata = JSON.stringify({
    ...click.value,
    ...(click.channel ? { channel: click.channel } : {}),
  });
  if (click.actionId === SLACK_ACTIONS.reject) return rejectModal(request, metadata);
  // The button shows only where grants are allowed; a forged click gets no form either.
  const choices = grantChoicesFor(context, request);
  if (!choices) {
    return `Nothing changed: Request ${request.id} cannot add a grant: its policy rule does not let grants approve its requests.`;
  }
  return grantModal(request, choices, metadata);
}

/**
 * Opens the reject or the grant modal for a click, after the checks the decision will make again
 * (an assignee, not the requester, still pending; grants allowed by the rule). Resolves with what
 * to tell the person when there is no modal for them, or Slack would not open it.
 */
export async function openDecisionModal(
  context: ServiceContext,
  setup: SlackSetup,
  principal: Principal,
  click: ModalClick,
  logError: (error: unknown) => void,
): Promise<string | undefined> {
  const request = await context.store.read((tx) => tx.getRequest(click.value.id));
  const view = modalFor(context, principal, request, click);
  if (typeof view === 'string') return view;
  if (!click.triggerId)
    throw fail('validation_failed', 'A click that opens a form needs its trigger_id');
  try {
    await setup.client.views.open({ trigger_id: click.triggerId, view });
    return undefined;
  } catch (error) {
    // Slack refused or is down: the click decided nothing, and the person should know.
    logError(error);
    return 'Slack could not open the form; try the dashboard.';
  }
}

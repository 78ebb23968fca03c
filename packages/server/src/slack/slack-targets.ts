import type { ApprovalRequest } from '@countersign/core/protocol';
import type { StoreTx } from '../store/store-types.js';
import type { SlackTarget } from './slack-messenger.js';
import type { SlackPeople } from './slack-people.js';

/** The channel of a `slack:#deploys` (or `slack:C0123456`) notify target; undefined for others. */
export function slackChannelOf(target: string): string | undefined {
  const match = /^slack:(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{6,})$/.exec(target);
  return match?.[1];
}

/**
 * Who gets a message about a new request: each assignee with a Slack id by direct message (groups
 * expanded to their active members, never the requester), each `slack:` channel among `notify`,
 * and the default channel. One target per recipient.
 */
export async function slackTargetsOf(
  tx: StoreTx,
  people: SlackPeople,
  request: ApprovalRequest,
  notify: readonly string[],
  defaultChannel: string | undefined,
): Promise<SlackTarget[]> {
  const targets = new Map<string, SlackTarget>();
  for (const person of await people.recipientsOf(tx, request.assignees)) {
    if (person.user === request.requester) continue;
    targets.set(person.slackUserId, { recipient: person.slackUserId, channel: person.slackUserId });
  }
  const channels = notify.map(slackChannelOf).filter((channel) => channel !== undefined);
  for (const channel of [...channels, ...(defaultChannel ? [defaultChannel] : [])]) {
    targets.set(channel, { recipient: channel, channel });
  }
  return [...targets.values()];
}

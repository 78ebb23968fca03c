import { userPrincipal } from '../auth/principal.js';
import type { UserRecord } from '../store/store-types.js';
import type { SlackPeople, SlackRecipient } from './slack-people.js';

/** Slack's view of the people directory: Slack member ids to active users and back. */
export const slackDirectory: SlackPeople = {
  async principalOf(tx, slackUserId) {
    const user = await tx.findUserBySlackId(slackUserId);
    if (!user?.active) return undefined;
    return userPrincipal(user, `slack:${slackUserId}`);
  },
  async recipientsOf(tx, assignees) {
    const users = new Map<string, UserRecord>();
    const groups: string[] = [];
    for (const assignee of assignees) {
      if (assignee.startsWith('group:')) groups.push(assignee.slice('group:'.length));
      else if (assignee.startsWith('user:')) {
        const user = await tx.getUser(assignee.slice('user:'.length));
        if (user) users.set(user.name, user);
      }
    }
    if (groups.length > 0) {
      for (const user of await tx.listActiveMembers(groups)) users.set(user.name, user);
    }
    return [...users.values()].flatMap((user): SlackRecipient[] =>
      user.active && user.slackUserId && slackAllowed(user)
        ? [{ user: `user:${user.name}`, slackUserId: user.slackUserId }]
        : [],
    );
  },
};

/** Whether the user's notification settings let Slack reach them (every channel when unset). */
function slackAllowed(user: UserRecord): boolean {
  const channels = user.notifications.channels;
  return channels === undefined || channels.includes('slack');
}

import { userPrincipal } from '../auth/principal.js';
import { findUserBySlackId } from '../people/user-directory.js';
import type { SlackPeople } from './slack-people.js';

/** Slack member ids to active directory users, who decide as reviewers (`keyId` `slack:U…`). */
export const slackDirectory: SlackPeople = {
  async principalOf(tx, slackUserId) {
    const user = await findUserBySlackId(tx, slackUserId);
    if (!user?.active) return undefined;
    return userPrincipal(user, `slack:${slackUserId}`);
  },
};

import type { Principal } from '../auth/principal.js';
import type { StoreTx } from '../store/store-types.js';

/** One person a request's message goes to by direct message. */
export interface SlackRecipient {
  /** `user:NAME` of the directory user. */
  user: string;
  /** Their Slack member id (`U…`/`W…`). */
  slackUserId: string;
}

/** What the Slack integration needs from the people directory. */
export interface SlackPeople {
  /** The active directory user with this Slack member id, as a reviewer; undefined otherwise. */
  principalOf(tx: StoreTx, slackUserId: string): Promise<Principal | undefined>;
  /** The active users with a Slack id that `assignees` (`user:X`, `group:G`) reach. */
  recipientsOf(tx: StoreTx, assignees: readonly string[]): Promise<SlackRecipient[]>;
}

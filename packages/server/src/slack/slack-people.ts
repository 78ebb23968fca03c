import type { Principal } from '../auth/principal.js';
import type { StoreTx } from '../store/store-types.js';

/** What the interactivity endpoint needs from the people directory. */
export interface SlackPeople {
  /** The active directory user with this Slack member id, as a reviewer; undefined otherwise. */
  principalOf(tx: StoreTx, slackUserId: string): Promise<Principal | undefined>;
}

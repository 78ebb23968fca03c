import { fail } from '../service/failures.js';
import type { NotificationSettings } from '../store/store-types.js';

/** A user or group name: what follows `user:` or `group:` (the same rule as key names). */
export const PERSON_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
/** An email address as the directory accepts it: one `@`, no spaces, a dotted domain. */
export const EMAIL = /^[^\s@<>()",;]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
/** A Slack member id (`U…` in a workspace, `W…` in an Enterprise Grid). */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;
/** A notification channel name (`email`, `slack`, …). */
export const CHANNEL_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** The fields of a user that can be set. */
export interface UserFields {
  displayName?: string;
  email?: string;
  slackUserId?: string;
  groups?: readonly string[];
  active?: boolean;
  notifications?: NotificationSettings;
}

/** Throws one validation error listing every problem of a user's name and fields. */
export function assertUserFields(name: string | undefined, fields: UserFields): void {
  const problems: string[] = [];
  if (name !== undefined && !PERSON_NAME.test(name)) {
    problems.push(`name "${name}" is not a valid name`);
  }
  if (
    fields.displayName !== undefined &&
    (fields.displayName.length > 200 || /[\r\n]/.test(fields.displayName))
  ) {
    problems.push('displayName must be one line of at most 200 characters');
  }
  if (fields.email !== undefined && (fields.email.length > 254 || !EMAIL.test(fields.email))) {
    problems.push(`email "${fields.email}" is not an email address`);
  }
  if (fields.slackUserId !== undefined && !SLACK_USER_ID.test(fields.slackUserId)) {
    problems.push(`slackUserId "${fields.slackUserId}" is not a Slack member id (U… or W…)`);
  }
  if ((fields.groups?.length ?? 0) > 50) problems.push('at most 50 groups');
  for (const group of fields.groups ?? []) {
    if (!PERSON_NAME.test(group)) problems.push(`group "${group}" is not a valid name`);
  }
  const channels = fields.notifications?.channels ?? [];
  if (channels.length > 10) problems.push('at most 10 notification channels');
  for (const channel of channels) {
    if (!CHANNEL_NAME.test(channel)) problems.push(`channel "${channel}" is not a channel name`);
  }
  if (problems.length > 0) {
    throw fail('validation_failed', `Invalid user: ${problems.join('; ')}`, { problems });
  }
}

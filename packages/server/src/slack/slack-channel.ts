import type { WebAPIPlatformError } from '@slack/web-api';
import { ServerConfigError } from '../config/server-config-error.js';
import { type NotificationChannel, PermanentDeliveryError } from '../notify/notification-types.js';
import type { SlackMessenger } from './slack-messenger.js';
import type { SlackSetup } from './slack-options.js';

// Slack's answers that another attempt cannot change: the address or the token is wrong.
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
]);

function slackError(error: unknown): string | undefined {
  const data = (error as Partial<WebAPIPlatformError>).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** Slack as a notification channel: one Block Kit message per request and address, kept up to date. */
export function slackChannel(setup: SlackSetup, messenger: SlackMessenger): NotificationChannel {
  return {
    name: 'slack',
    followsOutcome: true,
    defaultAddresses: setup.defaultChannel ? [setup.defaultChannel] : [],
    addressOf: (user) => user.slackUserId,
    async verify() {
      try {
        await setup.client.auth.test();
      } catch (error) {
        const reason =
          slackError(error) ?? (error instanceof Error ? error.message : String(error));
        throw new ServerConfigError([
          {
            option: 'slack.botToken',
            source: 'startServer',
            message: `slack.botToken: Slack did not accept the bot token (${reason})`,
          },
        ]);
      }
    },
    async deliver({ notification, request }) {
      const target = { recipient: notification.address, channel: notification.address };
      try {
        if (notification.kind === 'reminder') return await messenger.remind(request, target);
        if (notification.kind === 'outcome') {
          // Only a target or the requester hears of an outcome without an earlier message.
          const fresh = !notification.user || request.requester === `user:${notification.user}`;
          return await messenger.tellOutcome(request, target, fresh);
        }
        return await messenger.post(request, target);
      } catch (error) {
        const code = slackError(error);
        if (code && PERMANENT.has(code)) {
          throw new PermanentDeliveryError(`Slack refused: ${code}`, { cause: error });
        }
        throw error;
      }
    },
  };
}

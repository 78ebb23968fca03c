import { createRequire } from 'node:module';
import type { WebClient } from '@slack/web-api';
import { slackFetch } from './slack-fetch.js';

// Loaded when Slack is switched on: a server without it never pays for the Web API client's code.
const require = createRequire(import.meta.url);

/** Slack's part of the server options (flags `--slack-…`, variables `COUNTERSIGN_SLACK_…`). */
export interface SlackOptions {
  /**
   * Bot token of the Slack app (`xoxb-…`, OAuth & Permissions); Slack is on when it is set, off
   * otherwise. Needs {@link signingSecret}. Env `COUNTERSIGN_SLACK_BOT_TOKEN`.
   */
  botToken?: string;
  /**
   * Signing secret of the Slack app (Basic Information → App Credentials): the interactivity
   * endpoint refuses every request not signed with it. Env `COUNTERSIGN_SLACK_SIGNING_SECRET`.
   */
  signingSecret?: string;
  /**
   * A channel (`#name` or an id) that gets every new request, beside the assignees' direct
   * messages and the `slack:` targets of the policy. Env `COUNTERSIGN_SLACK_DEFAULT_CHANNEL`.
   */
  defaultChannel?: string;
  /** Base URL of the Web API (default `https://slack.com/api/`); for a proxy or a stand-in. */
  apiUrl?: string;
}

/** Slack, switched on: the settings every part of the integration reads. */
export interface SlackSetup {
  client: WebClient;
  signingSecret: string;
  defaultChannel?: string;
}

/** Slack's setup from the options, or undefined when Slack is off (no bot token). */
export function slackSetup(options: SlackOptions | undefined): SlackSetup | undefined {
  if (!options?.botToken || !options.signingSecret) return undefined;
  const { LogLevel, WebClient } = require('@slack/web-api') as typeof import('@slack/web-api');
  const client = new WebClient(options.botToken, {
    slackApiUrl: options.apiUrl ?? 'https://slack.com/api/',
    // Deliveries retry with the server's own backoff; the client's 30-minute retries would hold
    // a worker slot and hide failures from the audit.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logLevel: LogLevel.ERROR,
    fetch: slackFetch,
  });
  return {
    client,
    signingSecret: options.signingSecret,
    ...(options.defaultChannel ? { defaultChannel: options.defaultChannel } : {}),
  };
}

import { describe, expect, it } from 'vitest';
import { resolveServerConfig } from '../config/resolve-server-config.js';
import { ServerConfigError } from '../config/server-config-error.js';

const TOKEN = 'xoxb-1111-2222-abcdefgh';
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

function problem(env: Record<string, string>): string {
  try {
    resolveServerConfig({ env });
  } catch (error) {
    expect(ServerConfigError.isInstance(error)).toBe(true);
    return (error as ServerConfigError).message;
  }
  throw new Error('the configuration was accepted');
}

describe('Slack options', () => {
  it('reads the token, secret and default channel from flags or the environment', () => {
    const { config } = resolveServerConfig({
      flags: { 'slack-bot-token': TOKEN, 'slack-default-channel': '#deploys' },
      env: { COUNTERSIGN_SLACK_SIGNING_SECRET: SECRET },
    });
    expect(config.slack).toEqual({
      botToken: TOKEN,
      signingSecret: SECRET,
      defaultChannel: '#deploys',
      apiUrl: 'https://slack.com/api/',
    });
  });

  it('refuses a bot token without a signing secret, a malformed token or channel, in one line naming the option', () => {
    const missing = problem({ COUNTERSIGN_SLACK_BOT_TOKEN: TOKEN });
    expect(missing).toMatch(
      /^--slack-signing-secret is missing: COUNTERSIGN_SLACK_BOT_TOKEN turns Slack on/,
    );
    expect(missing).not.toContain('\n');
    expect(missing).not.toContain(TOKEN);
    const malformed = problem({
      COUNTERSIGN_SLACK_BOT_TOKEN: 'xoxp-user-token-123456',
      COUNTERSIGN_SLACK_SIGNING_SECRET: SECRET,
    });
    expect(malformed).toMatch(/COUNTERSIGN_SLACK_BOT_TOKEN.*xoxb-/);
    expect(malformed).not.toContain('xoxp-user-token-123456');
    expect(
      problem({
        COUNTERSIGN_SLACK_BOT_TOKEN: TOKEN,
        COUNTERSIGN_SLACK_SIGNING_SECRET: SECRET,
        COUNTERSIGN_SLACK_DEFAULT_CHANNEL: 'deploys',
      }),
    ).toMatch(/COUNTERSIGN_SLACK_DEFAULT_CHANNEL must be a channel such as #deploys/);
  });
});

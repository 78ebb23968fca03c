import { z } from 'zod';
import { type OptionType, shown } from '../config/option-types.js';

function checkedText(
  test: (text: string) => boolean,
  problem: (value: unknown) => string,
): z.ZodType<string, unknown> {
  return z.unknown().transform((value, context) => {
    if (typeof value === 'string' && test(value)) return value;
    context.addIssue({ code: 'custom', message: problem(value), input: value });
    return z.NEVER;
  }) as unknown as z.ZodType<string, unknown>;
}

const asIs = (value: unknown) => value;

/** A Slack bot token: `xoxb-…`; never repeated in a message. */
export const slackBotTokenType: OptionType<string> = {
  label: 'xoxb- token',
  schema: checkedText(
    (text) => /^xoxb-[A-Za-z0-9-]{8,}$/.test(text),
    () => 'must be a Slack bot token starting with xoxb- (Your app → OAuth & Permissions)',
  ),
  fromText: asIs,
  show: asIs,
};

/** A Slack app's signing secret (Basic Information → App Credentials); never repeated. */
export const slackSigningSecretType: OptionType<string> = {
  label: 'signing secret',
  schema: checkedText(
    (text) => /^[A-Za-z0-9]{16,}$/.test(text),
    () => "must be the Slack app's signing secret (letters and digits, Basic Information)",
  ),
  fromText: asIs,
  show: asIs,
};

/** A channel: `#name` or a channel id such as `C0123456`. */
export const slackChannelType: OptionType<string> = {
  label: 'channel',
  schema: checkedText(
    (text) => /^(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{6,})$/.test(text),
    (value) => `must be a channel such as #deploys or C0123456, not ${shown(value)}`,
  ),
  fromText: asIs,
  show: asIs,
};

/** The base URL of the Slack Web API, ending in `/`. */
export const slackApiUrlType: OptionType<string> = {
  label: 'URL',
  schema: checkedText(
    (text) => /^https?:\/\/[^\s/]+(\/[^\s]*)?\/$/.test(text) && URL.canParse(text),
    (value) => `must be an http(s) URL ending in /, not ${shown(value)}`,
  ),
  fromText: asIs,
  show: asIs,
};

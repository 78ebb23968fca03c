import { describe, expect, it } from 'vitest';
import { checkSlackSignature, slackSignature } from './slack-signature.js';

// Slack's worked example from "Verifying requests from Slack".
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = Number(TIMESTAMP) * 1000;

describe('Slack v0 signatures', () => {
  it("matches Slack's documented example", () => {
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
    expect(
      checkSlackSignature(SECRET, { timestamp: TIMESTAMP, signature: SIGNATURE, body: BODY }, NOW),
    ).toBeUndefined();
  });

  it('refuses a changed body, another secret, a missing or malformed signature', () => {
    const check = (secret: string, signature: string | undefined, body = BODY) =>
      checkSlackSignature(secret, { timestamp: TIMESTAMP, signature, body }, NOW);
    expect(check(SECRET, SIGNATURE, `${BODY}&x=1`)).toMatch(/does not match/);
    expect(check('another-secret-0000', SIGNATURE)).toMatch(/does not match/);
    expect(check(SECRET, undefined)).toMatch(/missing/);
    expect(check(SECRET, 'v0=abc')).toMatch(/does not match/);
    expect(check(SECRET, SIGNATURE.toUpperCase())).toMatch(/does not match/);
  });

  it('refuses a timestamp more than 5 minutes away, either way, and a malformed one', () => {
    const at = (timestamp: string | undefined, now: number) =>
      checkSlackSignature(SECRET, { timestamp, signature: SIGNATURE, body: BODY }, now);
    expect(at(TIMESTAMP, NOW + 5 * 60_000)).toBeUndefined();
    expect(at(TIMESTAMP, NOW + 5 * 60_000 + 1000)).toMatch(/5 minutes/);
    expect(at(TIMESTAMP, NOW - 5 * 60_000 - 1000)).toMatch(/5 minutes/);
    expect(at(undefined, NOW)).toMatch(/missing/);
    expect(at('1531420618.5', NOW)).toMatch(/not a number/);
  });
});

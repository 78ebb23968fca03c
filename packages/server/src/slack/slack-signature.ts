import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a signed Slack request may be before it is refused as a possible replay. */
export const SLACK_SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

/** What an interaction request carried, for {@link checkSlackSignature}. */
export interface SignedSlackRequest {
  /** `X-Slack-Request-Timestamp`: Unix seconds when Slack sent it. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`: `v0=` and the hex HMAC. */
  signature: string | undefined;
  /** The raw body exactly as received (the signature covers its bytes). */
  body: string;
}

/** Slack's v0 signature of a body: HMAC-SHA256 over `v0:{timestamp}:{body}` with the secret. */
export function slackSignature(signingSecret: string, timestamp: string, body: string): string {
  const mac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return `v0=${mac}`;
}

/**
 * Checks a request's v0 signature and age; returns why it is refused, or undefined when it is
 * Slack's. The comparison is constant-time so the signature cannot be guessed byte by byte.
 */
export function checkSlackSignature(
  signingSecret: string,
  request: SignedSlackRequest,
  nowMs: number,
): string | undefined {
  const { timestamp, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return 'X-Slack-Request-Timestamp is missing or not a number';
  }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_SIGNATURE_MAX_AGE_SECONDS) {
    return 'X-Slack-Request-Timestamp is more than 5 minutes away from now (a replay?)';
  }
  if (!signature) return 'X-Slack-Signature is missing';
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, request.body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'X-Slack-Signature does not match the body';
  }
  return undefined;
}

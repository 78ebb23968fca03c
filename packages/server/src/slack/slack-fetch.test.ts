import { ErrorCode } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../test/slack-stand-in.js';
import { slackSetup } from './slack-options.js';

describe('the Slack client on slackFetch', () => {
  const standIn = new SlackStandIn();
  beforeAll(() => standIn.start());
  afterAll(() => standIn.stop());
  const client = () =>
    slackSetup({ botToken: 'xoxb-test-token-1', signingSecret: 's', apiUrl: standIn.apiUrl })
      ?.client;

  it('sends the form the client built and reads the answer', async () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'Deploy *now*? 100% & more' } },
    ];
    const answer = await client()?.chat.update({ channel: 'D0A', ts: '1.5', text: 'é', blocks });
    expect(answer).toMatchObject({ ok: true, channel: 'D0A', ts: '1.5', text: 'é' });
    const call = standIn.callsOf('chat.update').at(-1);
    expect(call).toMatchObject({ token: 'xoxb-test-token-1', args: { text: 'é', blocks } });
  });

  it("keeps the client's errors: Slack's refusal, an HTTP failure, a rate limit", async () => {
    const message = { channel: '#deploys', text: 'hi' };
    standIn.failNext({ error: 'channel_not_found' });
    await expect(client()?.chat.postMessage(message)).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'channel_not_found' },
    });
    standIn.failNext({ status: 503 });
    await expect(client()?.chat.postMessage(message)).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
    });
    standIn.failNext({ status: 429 });
    // The stand-in sends no Retry-After: the client refuses the call without a retry.
    await expect(client()?.chat.postMessage(message)).rejects.toThrow(/retry-after/i);
  });

  it('reports a refused connection as a request error', async () => {
    const closed = slackSetup({
      botToken: 'xoxb-test-token-1',
      signingSecret: 's',
      apiUrl: 'http://127.0.0.1:1/api/',
    });
    await expect(
      closed?.client.chat.postMessage({ channel: '#x', text: 'hi' }),
    ).rejects.toMatchObject({ code: ErrorCode.RequestError });
  });
});

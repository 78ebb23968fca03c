import { resolvePreview } from '@countersign/core';
import { fingerprint } from '@countersign/core/fingerprint';
import { type ApprovalRequest, previewDescriptorSchema } from '@countersign/core/protocol';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../test/slack-stand-in.js';
import { outcomeMessage, pendingMessage, rejectModal } from './slack-blocks.js';

function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'req_1',
    kind: 'approval',
    status: 'pending',
    version: 1,
    action: 'Deploy web to production',
    context: { ticket: 'OPS-1' },
    assignees: ['group:ops'],
    quorum: 1,
    requester: 'agent:deployer',
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    reminders: [],
    decisions: [],
    tool: { name: 'deploy', args: { service: 'web' } },
    fingerprint: 'sha256:abc',
    ...overrides,
  } as ApprovalRequest;
}

/** Every text of a block tree with its type (plain_text or mrkdwn). */
function texts(value: unknown, found: { type: string; text: string }[] = []) {
  if (Array.isArray(value)) for (const item of value) texts(item, found);
  else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ((node.type === 'plain_text' || node.type === 'mrkdwn') && typeof node.text === 'string') {
      found.push({ type: node.type, text: node.text });
    }
    for (const child of Object.values(node)) texts(child, found);
  }
  return found;
}

describe('Slack messages', () => {
  const standIn = new SlackStandIn();
  beforeAll(() => standIn.start());
  afterAll(() => standIn.stop());

  it('keeps agent text inert: plain text for free text, escaped mrkdwn and a closed code block for arguments', () => {
    const hostile = request({
      action: '<!channel> *urgent* <https://evil.example|click here>',
      question: '<@U0ADMIN> approve?',
      tool: { name: 'de`ploy*', args: { note: '```\n<!here> &amp; *x*' } },
      context: { why: '<!everyone>' },
    });
    const { blocks } = pendingMessage(hostile, 'https://countersign.example.com/');
    const all = texts(blocks);
    for (const text of all.filter((entry) => entry.type === 'mrkdwn')) {
      expect(text.text).not.toMatch(/<!(channel|here|everyone)>|<@U0ADMIN>|<https:\/\/evil/);
    }
    expect(all).toContainEqual({
      type: 'plain_text',
      text: '<!channel> *urgent* <https://evil.example|click here>',
    });
    const code = all.find((entry) => entry.text.includes('```'))?.text ?? '';
    expect(code.match(/```/g)).toHaveLength(2);
    expect(code).toContain('&lt;!here&gt; &amp;amp;');
    expect(code).toContain('de`\u200bploy*\u200b');
  });

  it("shows the tool's preview instead of the arguments, inert, while the arguments stand", () => {
    const args = {
      to: 'ceo@example.com',
      subject: 'Q3 <!channel>',
      body: '```\n<@U0ADMIN> '.repeat(400),
    };
    const descriptor = previewDescriptorSchema.parse({
      kind: 'email',
      fields: { to: 'args.to', subject: 'args.subject', body: 'args.body' },
    });
    const withPreview = request({
      tool: { name: 'send_email', args },
      fingerprint: fingerprint('send_email', args),
      preview: resolvePreview(descriptor, { toolName: 'send_email', args }),
    });
    const { blocks } = pendingMessage(withPreview, 'https://countersign.example.com');
    const mrkdwnTexts = texts(blocks).filter((entry) => entry.type === 'mrkdwn');
    const tool = mrkdwnTexts.find((entry) => entry.text.startsWith('*Tool*'))?.text ?? '';
    expect(tool).toContain('ceo@example.com');
    expect(tool).not.toContain('"to":');
    expect(tool.match(/```/g)).toHaveLength(2);
    for (const entry of mrkdwnTexts) {
      expect(entry.text).not.toMatch(/<!channel>|<@U0ADMIN>/);
      expect(entry.text.length).toBeLessThanOrEqual(3000);
    }
    expect(mrkdwnTexts.map((entry) => entry.text)).toContain(
      'Cut short: see <https://countersign.example.com/#/requests/req_1|the whole preview in the dashboard>.',
    );
    // After an edit the preview no longer shows what would run: the standing arguments do.
    const edited = {
      ...withPreview,
      decisions: [
        {
          id: 'dec_1',
          outcome: 'edit',
          principal: 'user:alice',
          decidedAt: '2030-01-01T00:00:10Z',
          args: { ...args, to: 'all@example.com' },
        },
      ],
    } as ApprovalRequest;
    const after = texts(pendingMessage(edited).blocks).find((entry) =>
      entry.text.startsWith('*Tool*'),
    );
    expect(after?.text).toContain('"to": "all@example.com"');
  });

  it("stays within Block Kit's limits however large the request", () => {
    const huge = request({
      action: 'a'.repeat(2000),
      question: 'q'.repeat(4000),
      tool: { name: 'deploy', args: { blob: 'x'.repeat(100_000) } },
      context: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'.repeat(900)])),
    });
    const { text, blocks } = pendingMessage(huge);
    expect(text.length).toBeLessThanOrEqual(3000);
    const header = blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    for (const entry of texts(blocks)) expect(entry.text.length).toBeLessThanOrEqual(3000);
    const fields = blocks.find((block) => 'fields' in block && block.fields) as {
      fields: unknown[];
    };
    expect(fields.fields.length).toBeLessThanOrEqual(10);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it('has Approve, Reject and Open in dashboard while pending, and no buttons once decided', () => {
    const pending = pendingMessage(request(), 'https://countersign.example.com/');
    const actions = pending.blocks.find((block) => block.type === 'actions') as {
      elements: { action_id: string; url?: string; value?: string }[];
    };
    expect(actions.elements.map((element) => element.action_id)).toEqual([
      'countersign_approve',
      'countersign_reject',
      'countersign_open',
    ]);
    expect(actions.elements[2]?.url).toBe('https://countersign.example.com/#/requests/req_1');
    expect(JSON.parse(actions.elements[0]?.value ?? '')).toEqual({
      id: 'req_1',
      fingerprint: fingerprint('deploy', { service: 'web' }),
    });
    const decided = outcomeMessage(
      request({
        status: 'rejected',
        resolution: {
          status: 'rejected',
          at: '2030-01-01T00:01:00Z',
          by: ['user:alice'],
          reason: 'Not *now*',
        },
      }),
    );
    expect(decided.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(texts(decided.blocks).map((entry) => entry.text)).toEqual(
      expect.arrayContaining(['*Rejected* by user:alice', 'Reason: Not *now*']),
    );
  });

  it('reaches the stand-in through the real WebClient exactly as built', async () => {
    const client = new WebClient('xoxb-test-token-1', {
      slackApiUrl: standIn.apiUrl,
      retryConfig: { retries: 0 },
    });
    const message = pendingMessage(request());
    const answer = await client.chat.postMessage({ channel: 'U0ALICE', ...message });
    expect(answer).toMatchObject({ ok: true, channel: 'D0ALICE' });
    const [call] = standIn.callsOf('chat.postMessage');
    expect(call?.token).toBe('xoxb-test-token-1');
    expect(call?.args.blocks).toEqual(JSON.parse(JSON.stringify(message.blocks)));
    await client.views.open({ trigger_id: 't.1', view: rejectModal(request(), '{"id":"req_1"}') });
    expect(standIn.callsOf('views.open')[0]?.args.view).toMatchObject({
      callback_id: 'countersign_reject_modal',
      private_metadata: '{"id":"req_1"}',
    });
    standIn.failNext({ error: 'channel_not_found' });
    await expect(
      client.chat.postMessage({ channel: '#nowhere', ...message }),
    ).rejects.toMatchObject({
      data: { ok: false, error: 'channel_not_found' },
    });
    standIn.failNext({ status: 503 });
    await expect(client.chat.postMessage({ channel: '#deploys', ...message })).rejects.toThrow();
  });
});

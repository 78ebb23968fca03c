import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonClick } from '../test/slack-interactions.js';
import { hasButtons, SlackScenario } from '../test-support/slack-scenario.js';

const scenario = new SlackScenario();
const { standIn } = scenario;
beforeAll(() => scenario.start({ manualClock: true }));
afterAll(() => scenario.close());

const HOUR = 3_600_000;

describe('Slack reminders, escalations and notify targets', () => {
  it('posts to the notify targets, threads reminders under each first message, tells the escalation’s new assignee, and updates every message with the outcome', async () => {
    const { id } = await scenario.create({
      quorum: 2,
      reminders: ['1h'],
      escalation: { after: '2h', assignees: ['user:carol'], mode: 'add' },
      notify: { targets: ['slack:#ops-alerts'] },
    });
    const posts = standIn.callsOf('chat.postMessage');
    expect(posts.map((call) => call.args.channel).sort()).toEqual([
      '#ops-alerts',
      'U0ALICE',
      'U0BOB',
    ]);
    const first = new Map(posts.map((call) => [String(call.args.channel), call]));
    await scenario.interact(
      buttonClick('U0BOB', 'countersign_approve', scenario.buttonValue(id, 'U0BOB')),
    );
    await scenario.server.clock.advance(HOUR);
    await scenario.delivered();
    const replies = standIn.callsOf('chat.postMessage').filter((call) => call.args.thread_ts);
    // Bob approved already: alice and the channel are reminded, each under its own message.
    expect(replies.map((call) => call.args.channel).sort()).toEqual(['#ops-alerts', 'D0ALICE']);
    for (const reply of replies) {
      const original = first.get(reply.args.channel === 'D0ALICE' ? 'U0ALICE' : '#ops-alerts');
      expect(reply.args.thread_ts).toBe(original?.ts);
      expect(String(reply.args.text)).toMatch(/^Reminder: this request still waits/);
    }

    await scenario.server.clock.advance(HOUR);
    await scenario.delivered();
    const toCarol = standIn
      .callsOf('chat.postMessage')
      .filter((call) => call.args.channel === 'U0CAROL' && !call.args.thread_ts);
    expect(toCarol).toHaveLength(1);
    expect(hasButtons(toCarol[0] as (typeof toCarol)[number])).toBe(true);

    await scenario.interact(
      buttonClick('U0CAROL', 'countersign_approve', scenario.buttonValue(id, 'U0CAROL')),
    );
    const request = await scenario.request(id);
    expect(request.status).toBe('approved');
    expect([...request.resolution.by].sort()).toEqual(['user:bob', 'user:carol']);
    const finals = standIn
      .callsOf('chat.update')
      .filter(
        (call) => !hasButtons(call) && JSON.stringify(call.args.blocks).includes('*Approved*'),
      );
    expect(finals.map((call) => call.args.channel).sort()).toEqual([
      '#ops-alerts',
      'D0ALICE',
      'D0BOB',
      'D0CAROL',
    ]);
  });
});

// examples/notifications: `node main.ts`, an email through a local mailbox and its decision link,
// and the Slack messages through the local Slack stand-in.
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningExample, startExample } from './run-example.ts';

let run: RunningExample | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('examples/notifications (its start script)', () => {
  it('prints the email and its link; the GET decides nothing, Approve resumes the agent', async () => {
    run = await startExample('notifications');
    expect(await run.finished()).toBe(0);
    const out = run.output();
    expect(out).toMatch(/The agent asked for approval: (req_[\w-]+); it waits\./);
    expect(out).toContain('Subject: Approval needed: Refund 120 EUR to customer C-42');
    expect(out).toContain('To: alice@example.test');
    expect(out).toContain('Alice Martin, billing-bot (agent) asks for your decision.');
    expect(out).toContain('"amount": 120');
    expect(out).toMatch(/The decision link: http:\/\/127\.0\.0\.1:\d+\/d\/[\w-]+\.[\w-]{43}/);
    expect(out).toContain('GET the link (as a mail scanner would): 200; nothing is decided yet.');
    expect(out).toContain('POST Approve on the page: 200 "Approved. Thank you."');
    expect(out).toContain('The agent resumed: approved by user:alice');
    // The Slack part: a DM to alice and a message in the default channel, each with its buttons,
    // then both updated with the outcome and without buttons.
    expect(out).toContain('--- Slack: a message to U0ALICE ---');
    expect(out).toContain('--- Slack: a message to #approvals ---');
    expect(out.match(/\[Approve\]/g)).toHaveLength(2);
    const updated = out.slice(out.indexOf('--- Slack: the message in'));
    expect(updated).toContain('--- Slack: the message in D0ALICE, updated ---');
    expect(updated).toContain('--- Slack: the message in #approvals, updated ---');
    expect(updated.match(/\*Approved\* by user:alice/g)).toHaveLength(2);
    expect(updated).not.toContain('[Approve]');
  });
});

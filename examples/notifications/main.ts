// One command: a local mailbox (SMTP on loopback) and a local Slack (the Web API stand-in),
// Countersign pointed at both, an agent that asks for approval, the email it sends (printed), the
// signed link in it, and the Slack messages (printed, then updated with the outcome). With --wait the link is
// left for you to open in a browser (on this machine); without it, the example opens the page
// and clicks Approve the way a browser would, and the agent resumes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, createApiKey, openSqliteStore, startServer } from '@countersign/server';
import { openLocalMailbox } from './local-mailbox.ts';
import { describeMessage, openLocalSlack } from './local-slack.ts';

const waitForYou = process.argv.includes('--wait');
const directory = mkdtempSync(join(tmpdir(), 'countersign-notifications-'));
const mailbox = await openLocalMailbox();
const slack = await openLocalSlack();
const store = openSqliteStore({ path: join(directory, 'countersign.db') });
const server = await startServer({
  store,
  port: 0,
  smtpUrl: mailbox.url,
  mailFrom: 'Countersign <approvals@example.test>',
  slack: slack.options,
});

try {
  // The reviewer is a person of the directory with an email address; the agent has a key.
  const agentKey = await store.transaction(async (tx) => {
    await addUser(tx, 'alice', {
      displayName: 'Alice Martin',
      email: 'alice@example.test',
      slackUserId: 'U0ALICE',
    });
    await createApiKey(tx, { role: 'reviewer', name: 'alice' });
    return (await createApiKey(tx, { role: 'agent', name: 'billing-bot' })).key;
  });
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then((response) => response.json() as Promise<{ id: string; status: string }>);

  const request = await api('POST', '/v1/requests', {
    action: 'Refund 120 EUR to customer C-42',
    tool: { name: 'refund', args: { customer: 'C-42', amount: 120, currency: 'EUR' } },
    assignees: ['user:alice'],
    timeout: '1h',
  });
  console.log(`The agent asked for approval: ${request.id}; it waits.`);
  const outcome = (async () => {
    for (;;) {
      const now = await api('GET', `/v1/requests/${request.id}/wait?timeout=25`);
      if (now.status !== 'pending') return now;
    }
  })();

  const mail = await mailbox.next();
  const link = /Review and decide: (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  console.log('--- the email ---');
  console.log(`From: ${mail.from?.text}\nTo: ${mail.to && 'text' in mail.to ? mail.to.text : ''}`);
  console.log(`Subject: ${mail.subject}\nMessage-ID: ${mail.messageId}\n`);
  console.log(mail.text?.trim());
  console.log('--- end of the email ---');
  console.log(`The decision link: ${link}`);

  for (const post of await slack.calls('chat.postMessage', 2)) {
    console.log(`--- Slack: a message to ${post.args.channel} ---`);
    console.log(describeMessage(post));
  }

  if (waitForYou) {
    console.log('Open the link in a browser and decide; this waits for you (Ctrl-C to stop).');
  } else {
    const page = await fetch(link);
    console.log(`GET the link (as a mail scanner would): ${page.status}; nothing is decided yet.`);
    const approved = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision: 'approve', comment: 'Duplicate charge' }).toString(),
    });
    const title = /<h1>([^<]*)<\/h1>/.exec(await approved.text())?.[1];
    console.log(`POST Approve on the page: ${approved.status} "${title}"`);
  }
  const final = (await outcome) as { status: string; decisions: { principal: string }[] };
  console.log(`The agent resumed: ${final.status} by ${final.decisions[0]?.principal}`);
  for (const update of await slack.calls('chat.update', 2)) {
    console.log(`--- Slack: the message in ${update.args.channel}, updated ---`);
    console.log(describeMessage(update));
  }
} finally {
  await server.close();
  await mailbox.close();
  await slack.close();
  rmSync(directory, { recursive: true, force: true });
}

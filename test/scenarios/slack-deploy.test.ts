// A deploy gated by a policy whose rule routes the request to Slack (`notify: slack:#deploys`):
// the real core gate and HTTP client against a real server whose Slack is the Web API stand-in.
// The assignees get a DM, the channel gets the message, an on-call engineer approves with the
// Slack button (a click signed exactly as Slack signs it), the gate lets the deploy run with the
// approved arguments, and every Slack message shows the outcome without buttons.
import { CountersignClient, createGate, definePolicy } from '@countersign/core';
import { addUser } from '@countersign/server';
import {
  buttonClick,
  type SlackCall,
  SlackStandIn,
  signInteraction,
  startTestServer,
  type TestServer,
} from '@countersign/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'scenariosigningsecret0001';
let standIn: SlackStandIn;
let server: TestServer;
let agentKey: string;

beforeAll(async () => {
  standIn = new SlackStandIn();
  await standIn.start();
  server = await startTestServer({
    publicUrl: 'https://countersign.example.com',
    slack: { botToken: 'xoxb-scenario-token-1', signingSecret: SECRET, apiUrl: standIn.apiUrl },
  });
  await server.server.context.store.transaction(async (tx) => {
    await addUser(tx, 'olga', { slackUserId: 'U0OLGA', groups: ['oncall'] });
    await addUser(tx, 'pete', { slackUserId: 'U0PETE', groups: ['oncall'] });
  });
  agentKey = await server.createKey({ role: 'agent', name: 'release-bot' });
});
afterAll(async () => {
  await server?.close();
  await standIn?.stop();
});

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await server.server.outbox.runDue();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const buttonsOf = (call: SlackCall) =>
  ((call.args.blocks ?? []) as { type: string; elements?: { value?: string }[] }[]).find(
    (block) => block.type === 'actions',
  )?.elements;

describe('a Slack-routed deploy gate', () => {
  it('asks on-call by DM and #deploys, and deploys once someone approves in Slack', async () => {
    const policy = definePolicy({
      version: 1,
      default: 'allow',
      rules: [
        {
          name: 'production deploys',
          tools: 'deploy',
          when: 'args.environment == "production"',
          action: 'require',
          approval: {
            assignees: ['group:oncall'],
            timeout: '1h',
            notify: { targets: ['slack:#deploys'] },
          },
        },
      ],
    });
    const gate = createGate({
      policy,
      service: new CountersignClient({ baseUrl: server.url, apiKey: agentKey }),
    });
    const decision = gate.check({
      toolName: 'deploy',
      args: { service: 'web', version: '2.4.1', environment: 'production' },
    });

    const posts = await until(() => {
      const calls = standIn.callsOf('chat.postMessage');
      return calls.length === 3 ? calls : undefined;
    }, 'the Slack messages');
    expect(posts.map((call) => call.args.channel).sort()).toEqual(['#deploys', 'U0OLGA', 'U0PETE']);
    const value = buttonsOf(posts[0] as SlackCall)?.[0]?.value as string;
    const click = signInteraction(SECRET, buttonClick('U0PETE', 'countersign_approve', value));
    const answer = await fetch(`${server.url}/integrations/slack/interactions`, {
      method: 'POST',
      headers: click.headers,
      body: click.body,
    });
    expect(answer.status).toBe(200);

    expect(await decision).toMatchObject({
      outcome: 'allow',
      args: { service: 'web', version: '2.4.1', environment: 'production' },
    });
    const updates = await until(() => {
      const calls = standIn.callsOf('chat.update').filter((call) => !buttonsOf(call));
      return calls.length === 3 ? calls : undefined;
    }, 'the messages to show the outcome');
    for (const update of updates) {
      expect(JSON.stringify(update.args.blocks)).toContain('*Approved* by user:pete');
    }
  });
});

import { expect } from 'vitest';
import { addUser } from '../people/user-directory.js';
import { signInteraction } from '../test/slack-interactions.js';
import { type SlackCall, SlackStandIn } from '../test/slack-stand-in.js';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import { until } from './webhook-receiver.js';

/** The signing secret of the scenario's Slack app. */
export const SCENARIO_SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
/** The bot token the stand-in accepts. */
export const SCENARIO_BOT_TOKEN = 'xoxb-test-token-0001';

// biome-ignore lint/suspicious/noExplicitAny: tests read replies loosely
type Body = any;

/** True when a posted or updated message still has its buttons. */
export const hasButtons = (call: SlackCall): boolean =>
  ((call.args.blocks ?? []) as { type: string }[]).some((block) => block.type === 'actions');

/**
 * A real server with Slack on, pointed at a {@link SlackStandIn}, and a directory of alice and
 * bob (`ops`, Slack ids `U0ALICE`, `U0BOB`), carol (`finance`, `U0CAROL`) and dave (`ops`,
 * `U0DAVE`, disabled); keys for an agent, alice, bob and an admin.
 */
export class SlackScenario {
  readonly standIn = new SlackStandIn();
  #server: TestServer | undefined;
  keys = { agent: '', alice: '', bob: '', admin: '' };

  get server(): TestServer {
    if (!this.#server) throw new Error('the scenario is not started');
    return this.#server;
  }

  async start(options: { defaultChannel?: string; manualClock?: boolean } = {}): Promise<void> {
    this.standIn.token = SCENARIO_BOT_TOKEN;
    await this.standIn.start();
    this.#server = await startTestServer({
      publicUrl: 'https://countersign.example.com',
      ...(options.manualClock ? { manualClock: true } : {}),
      slack: {
        botToken: SCENARIO_BOT_TOKEN,
        signingSecret: SCENARIO_SIGNING_SECRET,
        apiUrl: this.standIn.apiUrl,
        ...(options.defaultChannel ? { defaultChannel: options.defaultChannel } : {}),
      },
    });
    await this.server.server.context.store.transaction(async (tx) => {
      await addUser(tx, 'alice', { slackUserId: 'U0ALICE', groups: ['ops'] });
      await addUser(tx, 'bob', { slackUserId: 'U0BOB', groups: ['ops'] });
      await addUser(tx, 'carol', { slackUserId: 'U0CAROL', groups: ['finance'] });
      await addUser(tx, 'dave', { slackUserId: 'U0DAVE', groups: ['ops'], active: false });
    });
    this.keys = {
      agent: await this.server.createKey({ role: 'agent', name: 'deployer' }),
      alice: await this.server.createKey({ role: 'reviewer', name: 'alice' }),
      bob: await this.server.createKey({ role: 'reviewer', name: 'bob' }),
      admin: this.server.adminKey,
    };
  }

  async close(): Promise<void> {
    await this.#server?.close();
    await this.standIn.stop();
  }

  async api(key: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${this.server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Body };
  }

  /** Creates a deploy request (assigned to `group:ops`) and waits until Slack got its messages. */
  async create(overrides: Record<string, unknown> = {}, key = this.keys.agent) {
    const created = await this.api(key, 'POST', '/v1/requests', {
      action: 'Deploy web to production',
      tool: { name: 'deploy', args: { service: 'web', version: '1.2.3' } },
      assignees: ['group:ops'],
      ...overrides,
    });
    expect(created.status).toBe(201);
    await this.delivered();
    return created.body as { id: string; version: number };
  }

  /**
   * Waits until the outbox has no notification due (each was handed to Slack, or failed and
   * waits for its retry) and the progress updates are done.
   */
  async delivered(): Promise<void> {
    const { outbox, context } = this.server.server;
    await until(async () => {
      await outbox.runDue();
      const rows = await context.store.read((tx) => tx.listOutbox(10_000));
      const now = context.clock.now();
      return !rows.some((row) => row.status === 'pending' && row.nextAttemptAt <= now);
    }, 'the notifications to be delivered');
    await this.server.server.slackIdle();
  }

  /** Posts a signed interaction as Slack would, then waits for the notifications it caused. */
  async interact(payload: unknown, options: { timestampSeconds?: number } = {}) {
    const signed = signInteraction(SCENARIO_SIGNING_SECRET, payload, {
      timestampSeconds: options.timestampSeconds ?? Math.floor(this.server.clock.now() / 1000),
    });
    const response = await fetch(`${this.server.url}/integrations/slack/interactions`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    const text = await response.text();
    await this.delivered();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body };
  }

  /** The value of the Approve button in the first message about `id` posted to `channel`. */
  buttonValue(id: string, channel = 'U0ALICE'): string {
    const post = this.standIn
      .callsOf('chat.postMessage')
      .find((call) => call.args.channel === channel && JSON.stringify(call.args).includes(id));
    const blocks = (post?.args.blocks ?? []) as { type: string; elements?: { value?: string }[] }[];
    const value = blocks.find((block) => block.type === 'actions')?.elements?.[0]?.value;
    if (!value) throw new Error(`no message with buttons for ${id} in ${channel}`);
    return value;
  }

  /** The request's audit entries of one type (the audit log is JSON lines). */
  async auditOf(id: string, type: string) {
    const response = await fetch(`${this.server.url}/v1/audit?requestId=${id}`, {
      headers: { authorization: `Bearer ${this.keys.admin}` },
    });
    return (await response.text())
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
      .filter((entry) => entry.type === type);
  }

  /** The request as an admin reads it. */
  async request(id: string): Promise<Body> {
    return (await this.api(this.keys.admin, 'GET', `/v1/requests/${id}`)).body;
  }
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../server.js';
import {
  buttonClick,
  modalSubmission,
  signBody,
  signInteraction,
} from '../test/slack-interactions.js';
import type { TestServer } from '../test/start-test-server.js';
import {
  hasButtons,
  SCENARIO_SIGNING_SECRET,
  SlackScenario,
} from '../test-support/slack-scenario.js';

interface ErrorBody {
  error: { code: string; message: string };
}

const SECRET = SCENARIO_SIGNING_SECRET;
const PATH = '/integrations/slack/interactions';
const scenario = new SlackScenario();
const { standIn } = scenario;
let server: TestServer;
let keys: SlackScenario['keys'];

beforeAll(async () => {
  await scenario.start({ defaultChannel: '#deploys' });
  server = scenario.server;
  keys = scenario.keys;
});
afterAll(() => scenario.close());
beforeEach(() => {
  standIn.calls.length = 0;
  standIn.failAll(undefined);
});

const api = scenario.api.bind(scenario);
const create = scenario.create.bind(scenario);
const delivered = scenario.delivered.bind(scenario);
const interact = scenario.interact.bind(scenario);
const buttonValue = scenario.buttonValue.bind(scenario);
const auditOf = scenario.auditOf.bind(scenario);
const statusOf = scenario.request.bind(scenario);

describe('Slack notifications and interactions', () => {
  it('posts each new request to the active assignees by DM and to the default channel, with buttons', async () => {
    const { id } = await create();
    const posts = standIn.callsOf('chat.postMessage');
    expect(posts.map((call) => call.args.channel).sort()).toEqual(['#deploys', 'U0ALICE', 'U0BOB']);
    for (const post of posts) {
      expect(post.token).toBe('xoxb-test-token-0001');
      expect(hasButtons(post)).toBe(true);
      expect(JSON.stringify(post.args.blocks)).toContain(
        `https://countersign.example.com/#/requests/${id}`,
      );
    }
    const posted = await auditOf(id, 'slack.posted');
    expect(posted.map((entry) => entry.data.recipient).sort()).toEqual([
      '#deploys',
      'U0ALICE',
      'U0BOB',
    ]);
  });

  it('refuses a bad signature, an old timestamp and unsigned or malformed bodies, and changes nothing', async () => {
    const { id } = await create();
    const click = buttonClick('U0ALICE', 'countersign_approve', buttonValue(id));
    const signed = signInteraction('another-secret-0000000', click);
    const forged = await fetch(`${server.url}${PATH}`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as ErrorBody).error.code).toBe('unauthorized');
    const replayed = await interact(click, {
      timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.message).toMatch(/5 minutes/);
    const unsigned = await fetch(`${server.url}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: signed.body,
    });
    expect(unsigned.status).toBe(401);
    const tampered = signInteraction(SECRET, click);
    const changed = await fetch(`${server.url}${PATH}`, {
      method: 'POST',
      headers: tampered.headers,
      body: tampered.body.replace('U0ALICE', 'U0BOB'),
    });
    expect(changed.status).toBe(401);
    for (const [payload, status] of [
      ['not json', 400],
      [{ type: 'block_actions' }, 400],
      [buttonClick('U0ALICE', 'countersign_approve', '{"id":1}'), 400],
    ] as const) {
      const signedBad =
        typeof payload === 'string'
          ? signBody(SECRET, `payload=${encodeURIComponent(payload)}`)
          : signInteraction(SECRET, payload);
      const answer = await fetch(`${server.url}${PATH}`, {
        method: 'POST',
        headers: signedBad.headers,
        body: signedBad.body,
      });
      expect(answer.status).toBe(status);
      expect(((await answer.json()) as ErrorBody).error.code).toMatch(
        /validation_failed|invalid_json/,
      );
    }
    expect((await statusOf(id)).status).toBe('pending');
    expect(standIn.callsOf('chat.update')).toEqual([]);
  });

  it('tells an unmapped, a disabled or an unassigned Slack user that they may not decide, and changes nothing', async () => {
    const { id } = await create();
    const value = buttonValue(id);
    for (const user of ['U0NOBODY', 'U0DAVE', 'U0CAROL']) {
      const answer = await interact(buttonClick(user, 'countersign_approve', value));
      expect(answer.status).toBe(200);
      const told = standIn.callsOf('chat.postEphemeral').at(-1);
      expect(told?.args).toMatchObject({ user, channel: 'C0DEPLOYS' });
      expect(String(told?.args.text)).toMatch(/^You may not decide this/);
    }
    expect(await statusOf(id)).toMatchObject({ status: 'pending', decisions: [] });
  });

  it('never lets the requester approve their own request from Slack', async () => {
    const { id } = await create({}, keys.alice);
    expect(
      standIn
        .callsOf('chat.postMessage')
        .map((call) => call.args.channel)
        .sort(),
    ).toEqual(['#deploys', 'U0BOB']);
    const answer = await interact(
      buttonClick('U0ALICE', 'countersign_approve', buttonValue(id, '#deploys')),
    );
    expect(answer.status).toBe(200);
    expect(String(standIn.callsOf('chat.postEphemeral').at(-1)?.args.text)).toMatch(
      /You may not decide this: The requester cannot decide its own request/,
    );
    expect(await statusOf(id)).toMatchObject({ status: 'pending', decisions: [] });
  });

  it('counts two approvers racing on a quorum-2 request once each and updates every message once', async () => {
    const { id } = await create({ quorum: 2 });
    const [first, second] = await Promise.all([
      interact(buttonClick('U0ALICE', 'countersign_approve', buttonValue(id, 'U0ALICE'))),
      interact(buttonClick('U0BOB', 'countersign_approve', buttonValue(id, 'U0BOB'))),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const request = await statusOf(id);
    expect(request.status).toBe('approved');
    expect([...request.resolution.by].sort()).toEqual(['user:alice', 'user:bob']);
    expect(standIn.callsOf('chat.postEphemeral')).toEqual([]);
    const finals = standIn.callsOf('chat.update').filter((call) => !hasButtons(call));
    expect(finals).toHaveLength(3);
    for (const update of finals) {
      expect(JSON.stringify(update.args.blocks)).toMatch(
        /\*Approved\* by user:(alice|bob), user:(alice|bob)/,
      );
    }
  });

  it('rejects with the reason given in the modal the Reject button opens', async () => {
    const { id } = await create();
    const clicked = await interact(
      buttonClick('U0BOB', 'countersign_reject', buttonValue(id, 'U0BOB')),
    );
    expect(clicked.status).toBe(200);
    const opened = standIn.callsOf('views.open');
    expect(opened).toHaveLength(1);
    const view = opened[0]?.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('countersign_reject_modal');
    expect((await statusOf(id)).status).toBe('pending');
    const input = { block: 'countersign_reason', action: 'countersign_reason_input' };
    const empty = await interact(modalSubmission('U0BOB', view, { ...input, value: '  ' }));
    expect(empty.body).toMatchObject({ response_action: 'errors' });
    const stranger = await interact(modalSubmission('U0NOBODY', view, { ...input, value: 'no' }));
    expect(stranger.body.errors.countersign_reason).toMatch(/^You may not decide this/);
    expect((await statusOf(id)).status).toBe('pending');
    const submitted = await interact(
      modalSubmission('U0BOB', view, { ...input, value: 'Change freeze until Monday' }),
    );
    expect(submitted).toEqual({ status: 200, body: undefined });
    expect(await statusOf(id)).toMatchObject({
      status: 'rejected',
      resolution: { by: ['user:bob'], reason: 'Change freeze until Monday' },
    });
    const updates = standIn.callsOf('chat.update');
    expect(updates).toHaveLength(3);
    for (const update of updates) {
      expect(hasButtons(update)).toBe(false);
      expect(JSON.stringify(update.args.blocks)).toContain('Reason: Change freeze until Monday');
    }
  });

  it('updates every Slack message when the request is decided through the API', async () => {
    const { id, version } = await create();
    const posts = standIn.callsOf('chat.postMessage');
    const decided = await api(keys.alice, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'approve',
      expectedVersion: version,
    });
    expect(decided.status).toBe(200);
    await delivered();
    const updates = standIn.callsOf('chat.update');
    expect(updates.map((call) => [call.args.channel, call.args.ts]).sort()).toEqual(
      posts.map((post) => [String(post.args.channel).replace(/^U/, 'D'), post.ts]).sort(),
    );
    for (const update of updates) {
      expect(hasButtons(update)).toBe(false);
      expect(JSON.stringify(update.args.blocks)).toContain('*Approved* by user:alice');
    }
    // A late click on an old message changes nothing and says so; Reject opens no form.
    for (const action of ['countersign_approve', 'countersign_reject']) {
      await interact(buttonClick('U0BOB', action, buttonValue(id, 'U0BOB')));
      expect(String(standIn.callsOf('chat.postEphemeral').at(-1)?.args.text)).toMatch(
        /^Nothing changed: Request .* is already approved/,
      );
    }
    expect(standIn.callsOf('views.open')).toEqual([]);
  });

  it('shows an edit and the approvals so far, and refuses a click bound to the old arguments', async () => {
    const { id, version } = await create({ quorum: 2 });
    const oldValue = buttonValue(id, 'U0BOB');
    const edited = await api(keys.alice, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'edit',
      args: { service: 'web', version: '1.2.4' },
      expectedVersion: version,
    });
    expect(edited.status).toBe(200);
    await delivered();
    const updates = standIn.callsOf('chat.update');
    expect(updates).toHaveLength(3);
    for (const update of updates) {
      expect(hasButtons(update)).toBe(true);
      const text = JSON.stringify(update.args.blocks);
      expect(text).toContain('1.2.4');
      expect(text).toContain('1 of 2 approvals');
    }
    await interact(buttonClick('U0BOB', 'countersign_approve', oldValue));
    expect(String(standIn.callsOf('chat.postEphemeral').at(-1)?.args.text)).toMatch(
      /^Nothing changed: The arguments changed after this message was posted/,
    );
    expect((await statusOf(id)).status).toBe('pending');
    const bobsUpdate = updates.find((call) => call.args.channel === 'D0BOB');
    const blocks = (bobsUpdate?.args.blocks ?? []) as {
      type: string;
      elements?: { value?: string }[];
    }[];
    const newValue = blocks.find((block) => block.type === 'actions')?.elements?.[0]?.value ?? '';
    await interact(buttonClick('U0BOB', 'countersign_approve', newValue));
    expect(await statusOf(id)).toMatchObject({
      status: 'approved',
      resolution: { args: { service: 'web', version: '1.2.4' }, edited: true },
    });
  });

  it('never blocks a request when Slack fails, and audits the failure', async () => {
    standIn.failAll({ status: 500 });
    const { id, version } = await create();
    const retrying = await auditOf(id, 'notification.retrying');
    expect(retrying.map((entry) => entry.data.address).sort()).toEqual([
      '#deploys',
      'U0ALICE',
      'U0BOB',
    ]);
    expect(retrying.every((entry) => String(entry.data.error).length > 0)).toBe(true);
    const decided = await api(keys.alice, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'approve',
      expectedVersion: version,
    });
    expect(decided.status).toBe(200);
  });

  it('gives up at once on an address Slack refuses, and the other messages go out', async () => {
    standIn.failChannel('#nowhere', 'channel_not_found');
    const { id } = await create({ notify: { targets: ['slack:#nowhere'] } });
    const failed = await auditOf(id, 'notification.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.data).toMatchObject({
      address: '#nowhere',
      attempts: 1,
      error: 'Slack refused: channel_not_found',
    });
    const posted = await auditOf(id, 'slack.posted');
    expect(posted.map((entry) => entry.data.recipient).sort()).toEqual([
      '#deploys',
      'U0ALICE',
      'U0BOB',
    ]);
  });

  it('refuses to start, in one line naming the option, when Slack does not accept the bot token', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'countersign-slack-'));
    try {
      await expect(
        startServer({
          dbPath: join(directory, 'countersign.db'),
          port: 0,
          slack: {
            botToken: 'xoxb-revoked-token-0002',
            signingSecret: SECRET,
            apiUrl: standIn.apiUrl,
          },
        }),
      ).rejects.toThrow(/^slack\.botToken: Slack did not accept the bot token \(invalid_auth\)$/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

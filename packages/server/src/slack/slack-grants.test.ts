import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buttonClick, type ModalInput, modalSubmission } from '../test/slack-interactions.js';
import type { SlackCall } from '../test/slack-stand-in.js';
import { SlackScenario } from '../test-support/slack-scenario.js';

const scenario = new SlackScenario();
const { standIn } = scenario;
beforeAll(() => scenario.start());
afterAll(() => scenario.close());
beforeEach(() => {
  standIn.calls.length = 0;
});

/** The policy scope a gate sends: the rule that asked, with its grants setting. */
function scope(rule: Record<string, unknown> = {}) {
  return {
    rule: 'deploys',
    rules: [{ name: 'deploys', action: 'require', ...rule }],
    default: { action: 'require' },
  };
}

const deploy = (args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  tool: { name: 'deploy', args },
  policy: scope({ grants: { maxLifetime: '4h' } }),
  runId: 'run-7',
  ...extra,
});

type Block = {
  type: string;
  block_id?: string;
  elements?: { action_id?: string; text?: { text: string } }[];
  element?: Record<string, unknown>;
};

function buttonsOf(call: SlackCall | undefined): string[] {
  const blocks = (call?.args.blocks ?? []) as Block[];
  const actions = blocks.find((block) => block.type === 'actions');
  return (actions?.elements ?? []).map((element) => element.text?.text ?? '');
}

const postTo = (channel: string) =>
  standIn.callsOf('chat.postMessage').find((call) => call.args.channel === channel);

const FIELDS = {
  scope: 'countersign_grant_scope',
  when: 'countersign_grant_when',
  lifetime: 'countersign_grant_lifetime',
  maxUses: 'countersign_grant_uses',
  appliesTo: 'countersign_grant_for',
};

/** The grant modal's inputs: `chosen` fields are options picked, the others typed. */
function grantInputs(fields: Partial<Record<keyof typeof FIELDS, string>>): ModalInput[] {
  return Object.entries(fields).map(([field, text]) => {
    const block = FIELDS[field as keyof typeof FIELDS];
    const typed = field === 'when' || field === 'maxUses';
    return { block, action: `${block}_input`, ...(typed ? { value: text } : { selected: text }) };
  });
}

async function grantsOf() {
  return (await scenario.api(scenario.keys.admin, 'GET', '/v1/grants?status=all')).body.items;
}

describe('grants from Slack: "Approve and allow similar…"', () => {
  it('opens the grant modal, approves as that Slack user with the grant, and the grant approves the next call', async () => {
    const { id } = await scenario.create(deploy({ service: 'web', replicas: 3 }));
    expect(buttonsOf(postTo('U0BOB'))).toEqual([
      'Approve',
      'Approve and allow similar…',
      'Reject',
      'Open in dashboard',
    ]);
    const value = scenario.buttonValue(id, 'U0BOB');
    await scenario.interact(buttonClick('U0BOB', 'countersign_approve_grant', value));
    const opened = standIn.callsOf('views.open');
    expect(opened).toHaveLength(1);
    const view = opened[0]?.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Block[];
    };
    expect(view.callback_id).toBe('countersign_grant_modal');
    const element = (block: string) => view.blocks.find((b) => b.block_id === block)?.element;
    const optionsOf = (block: string) =>
      ((element(block)?.options ?? []) as { value: string }[]).map((option) => option.value);
    expect(optionsOf(FIELDS.scope)).toEqual(['exact', 'bounded', 'custom']);
    expect(element(FIELDS.when)?.initial_value).toBe(
      'args.service == "web" && args.replicas <= 3 && args.size() == 2',
    );
    // Capped by the rule's maxLifetime (4h); 1 h chosen unless changed; this run is offered.
    expect(optionsOf(FIELDS.lifetime)).toEqual(['15m', '1h', '4h']);
    expect(element(FIELDS.lifetime)?.initial_option).toMatchObject({ value: '1h' });
    expect(optionsOf(FIELDS.appliesTo)).toEqual(['agent', 'run', 'any']);
    expect((await scenario.request(id)).status).toBe('pending');

    // A condition that does not compile, or a lifetime past the cap: said in the modal, no change.
    const bad = await scenario.interact(
      modalSubmission(
        'U0BOB',
        view,
        grantInputs({ scope: 'custom', when: 'args.replicas <=', lifetime: '1h' }),
      ),
    );
    expect(bad.body.response_action).toBe('errors');
    expect(bad.body.errors[FIELDS.when]).toMatch(/^Nothing changed: grant condition: /);
    const long = await scenario.interact(
      modalSubmission('U0BOB', view, grantInputs({ scope: 'exact', lifetime: '24h' })),
    );
    expect(long.body.errors[FIELDS.lifetime]).toMatch(/accepts grants of at most 4h/);
    expect((await scenario.request(id)).status).toBe('pending');
    expect(await grantsOf()).toEqual([]);

    const submitted = await scenario.interact(
      modalSubmission(
        'U0BOB',
        view,
        grantInputs({
          scope: 'custom',
          when: 'args.service == "web" && args.replicas <= 5',
          lifetime: '4h',
          maxUses: '2',
          appliesTo: 'agent',
        }),
      ),
    );
    expect(submitted).toEqual({ status: 200, body: undefined });
    const approved = await scenario.request(id);
    expect(approved).toMatchObject({ status: 'approved', resolution: { by: ['user:bob'] } });
    const grantId = approved.decisions[0].addedGrant as string;
    const [grant] = await grantsOf();
    expect(grant).toMatchObject({
      id: grantId,
      tool: 'deploy',
      when: 'args.service == "web" && args.replicas <= 5',
      appliesTo: 'agent',
      agent: 'agent:deployer',
      maxUses: 2,
      grantedBy: 'user:bob',
      fromRequest: id,
    });
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.createdAt)).toBe(4 * 3_600_000);
    const decided = await scenario.auditOf(id, 'decided');
    expect(decided[0]?.data).toMatchObject({ outcome: 'approve', addedGrant: grantId });
    // Every message about the request says so, not just some (nor none).
    const updates = standIn.callsOf('chat.update');
    expect(updates).toHaveLength(standIn.callsOf('chat.postMessage').length);
    for (const update of updates) {
      expect(JSON.stringify(update.args.blocks)).toContain(
        `user:bob also allowed similar calls (grant \`${grantId}\`)`,
      );
    }

    // The next matching call is approved at once by the grant; one that does not match waits.
    const next = await scenario.api(scenario.keys.agent, 'POST', '/v1/requests', {
      action: 'Deploy web again',
      assignees: ['group:ops'],
      ...deploy({ service: 'web', replicas: 4 }),
    });
    expect(next.body).toMatchObject({
      status: 'approved',
      resolution: { by: ['user:bob'], grant: { id: grantId, grantedBy: 'user:bob' } },
    });
    const bigger = await scenario.create(deploy({ service: 'web', replicas: 9 }));
    expect((await scenario.request(bigger.id)).status).toBe('pending');
  });

  it('offers no grant where the rule forbids grants, and refuses a forged click or submission', async () => {
    const grantsBefore = await grantsOf();
    const forbidden = await scenario.create(
      deploy({ service: 'api', replicas: 1 }, { policy: scope({ grants: false }) }),
    );
    // Quorum > 1 without an explicit `grants:` on its rule: no grants either.
    const quorum = await scenario.create(
      deploy({ service: 'db', replicas: 1 }, { quorum: 2, policy: scope() }),
    );
    const bare = await scenario.create({ tool: { name: 'deploy', args: { service: 'x' } } });
    const messages = standIn
      .callsOf('chat.postMessage')
      .filter((call) => call.args.channel === 'U0BOB');
    expect(messages).toHaveLength(3);
    for (const message of messages)
      expect(buttonsOf(message)).not.toContain('Approve and allow similar…');

    const value = scenario.buttonValue(forbidden.id, 'U0BOB');
    await scenario.interact(buttonClick('U0BOB', 'countersign_approve_grant', value));
    expect(standIn.callsOf('views.open')).toEqual([]);
    expect(String(standIn.callsOf('chat.postEphemeral').at(-1)?.args.text)).toMatch(
      /^Nothing changed: Request .* cannot add a grant: its policy rule does not let grants/,
    );
    for (const { id } of [forbidden, quorum, bare]) {
      const forged = await scenario.interact(
        modalSubmission(
          'U0BOB',
          {
            callback_id: 'countersign_grant_modal',
            private_metadata: scenario.buttonValue(id, 'U0BOB'),
          },
          grantInputs({ scope: 'exact', lifetime: '1h' }),
        ),
      );
      expect(forged.body.errors[FIELDS.scope]).toMatch(/cannot add a grant/);
      expect(await scenario.request(id)).toMatchObject({ status: 'pending', decisions: [] });
    }
    expect(await grantsOf()).toEqual(grantsBefore);
  });
});

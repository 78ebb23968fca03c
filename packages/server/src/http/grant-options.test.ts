import { exactArgsCondition, type ScopeGrants } from '@countersign/core/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { decideRequest } from '../service/decide-request.js';
import { createHarness, type Harness } from '../test-support/harness.js';

const HOUR = 3_600_000;

function payment(grants?: ScopeGrants, extra: Record<string, unknown> = {}) {
  return {
    action: 'Pay a vendor',
    tool: { name: 'pay_vendor', args: { amount: 120, to: 'acme' } },
    assignees: ['group:ops'],
    policy: {
      rule: 'payments',
      rules: [{ name: 'payments', action: 'require', ...(grants === undefined ? {} : { grants }) }],
      default: { action: 'require' },
    },
    ...extra,
  };
}

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function create(body: unknown): Promise<string> {
  const reply = await h.call(h.keys.agent, 'POST', '/v1/requests', body);
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id;
}
const options = async (id: string, key = h.keys.alice) =>
  h.call(key, 'GET', `/v1/requests/${id}/grant-options`);

/** Approves with `grant` and returns the added grant's lifetime in ms. */
async function grantLifetime(id: string, grant: Record<string, unknown>): Promise<number> {
  const reply = await h.call(h.keys.alice, 'POST', `/v1/requests/${id}/decisions`, {
    outcome: 'approve',
    grant,
  });
  expect(reply.status, reply.text).toBe(200);
  const added = await h.call(
    h.keys.alice,
    'GET',
    `/v1/grants/${reply.body.decisions[0].addedGrant}`,
  );
  return Date.parse(added.body.expiresAt) - Date.parse(added.body.createdAt);
}

describe('GET /v1/requests/:id/grant-options', () => {
  it('offers what the decision accepts: the prefills, lifetimes within both caps, whom it covers', async () => {
    h = await createHarness({ maxGrantLifetimeMs: 4 * HOUR });
    const open = await options(await create(payment()));
    expect(open.status, open.text).toBe(200);
    expect(open.body).toEqual({
      allowed: true,
      exact: exactArgsCondition({ amount: 120, to: 'acme' }),
      bounded: 'args.amount <= 120 && args.to == "acme" && args.size() == 2',
      lifetimes: ['15m', '1h', '4h'],
      defaultLifetime: '1h',
      maxLifetime: '4h',
      appliesTo: ['agent', 'any'],
    });

    const cappedId = await create(payment({ maxLifetime: '30m' }, { runId: 'r-1' }));
    expect((await options(cappedId)).body).toMatchObject({
      allowed: true,
      lifetimes: ['15m', '30m'],
      defaultLifetime: '30m',
      maxLifetime: '30m',
      appliesTo: ['agent', 'run', 'any'],
    });
    // What is not offered is refused: a lifetime past the rule's cap.
    const tooLong = await h.call(h.keys.alice, 'POST', `/v1/requests/${cappedId}/decisions`, {
      outcome: 'approve',
      grant: { lifetime: '1h' },
    });
    expect(tooLong.status).toBe(422);
  });

  it('says not allowed where the rule forbids grants, and hides requests like reading them', async () => {
    h = await createHarness();
    for (const body of [
      payment(false),
      payment(undefined, { quorum: 2 }),
      payment(undefined, { policy: undefined }),
      { action: 'No tool call', assignees: ['group:ops'] },
    ]) {
      const reply = await options(await create(body));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({ allowed: false });
    }
    const id = await create(payment());
    expect((await options(id, h.keys.agent)).body.allowed).toBe(true);
    expect((await options(id, h.keys.carol)).status).toBe(404);
    expect((await options(id, h.keys.agent2)).status).toBe(404);
    expect((await options('req_missing')).body.error.code).toBe('not_found');
  });
});

describe('a grant without a lifetime', () => {
  it('lives 1 h, or the shorter cap of the rule or the server, on every channel', async () => {
    h = await createHarness({ maxGrantLifetimeMs: 4 * HOUR });
    expect(await grantLifetime(await create(payment()), {})).toBe(HOUR);
    const capped = await create(payment({ maxLifetime: '20m' }));
    expect((await options(capped)).body.defaultLifetime).toBe('20m');
    expect(await grantLifetime(capped, {})).toBe(20 * 60_000);
    // Within the rule's cap, so it approves the next such call.
    const next = await h.call(
      h.keys.agent,
      'POST',
      '/v1/requests',
      payment({ maxLifetime: '20m' }),
    );
    expect(next.body.status).toBe('approved');
    await h.close();

    h = await createHarness({ maxGrantLifetimeMs: 45 * 60_000 });
    expect(await grantLifetime(await create(payment({ maxLifetime: '2h' })), {})).toBe(45 * 60_000);
    const direct = await h.call(h.keys.admin, 'POST', '/v1/grants', {
      tool: 'pay_vendor',
      appliesTo: 'any',
    });
    expect(direct.status, direct.text).toBe(201);
    expect(Date.parse(direct.body.expiresAt) - Date.parse(direct.body.createdAt)).toBe(45 * 60_000);
  });
});

describe('a grant added after an edit', () => {
  it('covers the arguments the approvals stand for, never the ones the edit replaced', async () => {
    h = await createHarness();
    // Two approvals needed, grants allowed by the rule: alice edits, bob approves and grants.
    const id = await create(payment({}, { quorum: 2 }));
    const edited = { amount: 40, to: 'acme' };
    const edit = await h.call(h.keys.alice, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'edit',
      args: edited,
    });
    expect(edit.status, edit.text).toBe(200);
    expect((await options(id, h.keys.bob)).body).toMatchObject({
      exact: exactArgsCondition(edited),
      bounded: 'args.amount <= 40 && args.to == "acme" && args.size() == 2',
    });
    const approved = await h.call(h.keys.bob, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'approve',
      grant: {},
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.status).toBe('approved');
    const grantId = approved.body.decisions.at(-1).addedGrant;
    const grant = await h.call(h.keys.bob, 'GET', `/v1/grants/${grantId}`);
    expect(grant.body.when).toBe(exactArgsCondition(edited));
    // The agent's first arguments (120) were approved by no one: a call with them waits.
    const original = await h.call(h.keys.agent, 'POST', '/v1/requests', payment({}, { quorum: 2 }));
    expect(original.body.status).toBe('pending');
  });
});

describe('a grant racing an edit', () => {
  it('is not added for arguments that changed between its checks and its transaction', async () => {
    h = await createHarness();
    const id = await create(payment({}, { quorum: 2 }));
    const bob = {
      id: 'user:bob',
      role: 'reviewer' as const,
      name: 'bob',
      groups: ['ops'],
      keyId: '',
    };
    const store = h.context.store;
    let edited = false;
    // Alice's edit lands right after bob's decision read the request to prepare its grant.
    const racing = Object.create(store) as typeof store;
    racing.read = async (work, options) => {
      const seen = await store.read(work, options);
      if (options?.unsynced && !edited) {
        edited = true;
        const edit = await h.call(h.keys.alice, 'POST', `/v1/requests/${id}/decisions`, {
          outcome: 'edit',
          args: { amount: 40, to: 'acme' },
        });
        expect(edit.status, edit.text).toBe(200);
      }
      return seen;
    };
    const deciding = decideRequest(
      { ...h.context, store: racing },
      bob,
      id,
      {
        outcome: 'approve',
        grant: {},
      },
      'api',
    );
    await expect(deciding).rejects.toMatchObject({ code: 'version_conflict' });
    expect(edited).toBe(true);
    const grants = await h.call(h.keys.admin, 'GET', '/v1/grants');
    expect(grants.body.items).toEqual([]);
  });
});

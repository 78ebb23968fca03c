import type { ScopeGrants } from '@countersign/core/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';
import { dropSchema, openTestPostgresStore, testSchema } from '../test-support/postgres.js';

/** A request's policy scope: the rule that asked, with its grants setting. */
function scope(grants?: ScopeGrants, rule = 'payments') {
  return {
    rule,
    rules: [{ name: rule, action: 'require', ...(grants === undefined ? {} : { grants }) }],
    default: { action: 'require' },
  };
}

function payment(args: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    action: 'Pay a vendor',
    tool: { name: 'pay_vendor', args },
    assignees: ['group:ops'],
    policy: scope(),
    ...extra,
  };
}

const stores = {
  SQLite: async () => createHarness(),
  PostgreSQL: async () => {
    const schema = testSchema();
    const harness = await createHarness({ store: await openTestPostgresStore(schema) });
    return {
      ...harness,
      async close() {
        await harness.close();
        await dropSchema(schema);
      },
    };
  },
};

describe.each(Object.entries(stores))('grants on %s', (_name, open) => {
  let h: Harness;
  beforeEach(async () => {
    h = await open();
  });
  afterEach(async () => {
    await h.close();
  });

  const create = async (body: unknown, key = h.keys.agent) => {
    const reply = await h.call(key, 'POST', '/v1/requests', body);
    expect(reply.status, reply.text).toBe(201);
    return reply.body;
  };
  const approveWithGrant = async (
    id: string,
    grant: Record<string, unknown>,
    key = h.keys.alice,
  ) => {
    const reply = await h.call(key, 'POST', `/v1/requests/${id}/decisions`, {
      outcome: 'approve',
      grant,
    });
    expect(reply.status, reply.text).toBe(200);
    return reply.body.decisions.at(-1).addedGrant as string;
  };
  const adminGrant = async (body: Record<string, unknown>) => {
    const reply = await h.call(h.keys.admin, 'POST', '/v1/grants', body);
    expect(reply.status, reply.text).toBe(201);
    return reply.body.id as string;
  };
  const auditTypes = async () => {
    const reply = await h.call(h.keys.admin, 'GET', '/v1/audit');
    return reply.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });
  };

  it('approves a later identical call at once, by the grant and on its granter’s behalf', async () => {
    const first = await create(payment({ amount: 120, to: 'acme' }));
    const grantId = await approveWithGrant(first.id, {});
    expect(grantId).toMatch(/^g_/);

    const second = await create(payment({ amount: 120, to: 'acme' }));
    expect(second.status).toBe('approved');
    expect(second.resolution).toMatchObject({
      by: ['user:alice'],
      fingerprint: second.fingerprint,
      edited: false,
      grant: { id: grantId, grantedBy: 'user:alice' },
    });
    expect(second.decisions[0]).toMatchObject({ principal: 'user:alice', grant: grantId });

    // The prefill is the exact arguments: anything else still goes to a human.
    expect((await create(payment({ amount: 121, to: 'acme' }))).status).toBe('pending');
    expect((await create(payment({ amount: 120, to: 'acme', memo: 'x' }))).status).toBe('pending');

    const grant = await h.call(h.keys.alice, 'GET', `/v1/grants/${grantId}`);
    expect(grant.body).toMatchObject({ status: 'active', uses: 1, appliesTo: 'agent' });
    const types = (await auditTypes()).map((entry) => entry.type);
    expect(types).toContain('grant.created');
    expect(types.filter((type) => type === 'grant.used')).toHaveLength(1);
  });

  it('matches tool globs and CEL bounds, for the agents it covers only', async () => {
    const grantId = await adminGrant({
      tool: 'pay_*',
      when: 'args.amount <= 500',
      appliesTo: 'agent',
      agent: 'agent:bot',
    });
    expect((await create(payment({ amount: 499.5 }))).resolution?.grant?.id).toBe(grantId);
    expect(
      (
        await create({
          ...payment({ amount: 10 }),
          tool: { name: 'pay_staff', args: { amount: 10 } },
        })
      ).status,
    ).toBe('approved');
    expect((await create(payment({ amount: 501 }))).status).toBe('pending');
    // A missing field is an evaluation error: no match, never an approval.
    expect((await create(payment({ to: 'acme' }))).status).toBe('pending');
    expect(
      (await create({ ...payment({ amount: 1 }), tool: { name: 'refund', args: { amount: 1 } } }))
        .status,
    ).toBe('pending');
    expect((await create(payment({ amount: 1 }), h.keys.agent2)).status).toBe('pending');
  });

  it('stops approving at its expiry (manual clock) and records the expiry', async () => {
    const first = await create(payment({ amount: 5 }));
    const grantId = await approveWithGrant(first.id, { lifetime: '1h' });
    await h.advance(59 * 60_000);
    expect((await create(payment({ amount: 5 }))).status).toBe('approved');
    await h.advance(60_000);
    expect((await create(payment({ amount: 5 }))).status).toBe('pending');
    const expired = (await auditTypes()).find((entry) => entry.type === 'grant.expired');
    expect(expired?.data).toMatchObject({ grantId, uses: 1 });
    expect((await h.call(h.keys.alice, 'GET', `/v1/grants/${grantId}`)).body.status).toBe(
      'expired',
    );
    expect((await h.call(h.keys.alice, 'GET', '/v1/grants')).body.items).toEqual([]);
  });

  it('gives the last use to exactly one of two parallel calls', async () => {
    const first = await create(payment({ amount: 7 }));
    const grantId = await approveWithGrant(first.id, { maxUses: 1 });
    const both = await Promise.all([
      create(payment({ amount: 7 })),
      create(payment({ amount: 7 })),
    ]);
    expect(both.map((request) => request.status).sort()).toEqual(['approved', 'pending']);
    const grant = await h.call(h.keys.alice, 'GET', `/v1/grants/${grantId}`);
    expect(grant.body).toMatchObject({ status: 'exhausted', uses: 1, maxUses: 1 });
    expect((await create(payment({ amount: 7 }))).status).toBe('pending');
  });

  it('counts uses in the store atomically: two transactions racing for the last use', async () => {
    const grantId = await adminGrant({ tool: 'x', appliesTo: 'any', maxUses: 2 });
    const now = new Date(h.clock.now()).toISOString();
    const store = h.context.store;
    // Without the log lock of a create around them, these two really run at once on PostgreSQL.
    for (const expected of [
      [1, 2],
      [undefined, undefined],
    ]) {
      const uses = await Promise.all([
        store.transaction((tx) => tx.useGrant(grantId, now)),
        store.transaction((tx) => tx.useGrant(grantId, now)),
      ]);
      expect(uses.sort()).toEqual(expected);
    }
    const last = await adminGrant({ tool: 'x', appliesTo: 'any', maxUses: 1 });
    const race = await Promise.all(
      Array.from({ length: 8 }, () => store.transaction((tx) => tx.useGrant(last, now))),
    );
    expect(race.filter((uses) => uses !== undefined)).toEqual([1]);
  });

  it('takes a revocation into account on the very next call', async () => {
    const first = await create(payment({ amount: 9 }));
    const grantId = await approveWithGrant(first.id, {});
    expect((await create(payment({ amount: 9 }))).status).toBe('approved');

    const stranger = await h.call(h.keys.bob, 'POST', `/v1/grants/${grantId}/revoke`, {});
    expect(stranger.status).toBe(403);
    const revoked = await h.call(h.keys.alice, 'POST', `/v1/grants/${grantId}/revoke`, {
      reason: 'done for today',
    });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedBy: 'user:alice' });
    expect((await create(payment({ amount: 9 }))).status).toBe('pending');
    expect((await h.call(h.keys.alice, 'POST', `/v1/grants/${grantId}/revoke`)).status).toBe(409);
    const entry = (await auditTypes()).find((line) => line.type === 'grant.revoked');
    expect(entry?.data).toMatchObject({ grantId, reason: 'done for today' });
  });

  it('never applies where the rule forbids grants, caps their lifetime or needs more people', async () => {
    const grantId = await adminGrant({ tool: '*', appliesTo: 'any' });
    expect(grantId).toMatch(/^g_/);
    expect((await create(payment({ a: 1 }, { policy: scope(false) }))).status).toBe('pending');
    // Quorum 2 without an explicit `grants`: one person's grant is not two approvals.
    expect((await create(payment({ a: 1 }, { quorum: 2 }))).status).toBe('pending');
    // No policy: the request names no rule that allows grants.
    expect((await create(payment({ a: 1 }, { policy: undefined }))).status).toBe('pending');
    // The admin's grant lives 1h: over this rule's cap of 30m.
    expect(
      (await create(payment({ a: 1 }, { policy: scope({ maxLifetime: '30m' }) }))).status,
    ).toBe('pending');
    expect((await create(payment({ a: 1 }))).status).toBe('approved');

    const forbidden = await create(payment({ a: 2 }, { policy: scope(false) }));
    const refused = await h.call(h.keys.alice, 'POST', `/v1/requests/${forbidden.id}/decisions`, {
      outcome: 'approve',
      grant: {},
    });
    expect(refused.status).toBe(422);
    expect((await h.call(h.keys.alice, 'GET', `/v1/requests/${forbidden.id}`)).body.status).toBe(
      'pending',
    );
  });

  it('approves only where its granter could have, and only while the granter’s key stands', async () => {
    const first = await create(payment({ amount: 3 }));
    await approveWithGrant(first.id, { appliesTo: 'any' });
    // alice is in ops, not finance.
    expect((await create(payment({ amount: 3 }, { assignees: ['group:finance'] }))).status).toBe(
      'pending',
    );
    expect((await create(payment({ amount: 3 }), h.keys.agent2)).status).toBe('approved');
    // The requester never approves its own request, not even through a grant made earlier.
    expect((await create(payment({ amount: 3 }), h.keys.alice)).status).toBe('pending');
    // Revoking the key alice granted with ends what her grants may approve.
    const keyId = h.keys.alice.split('_')[1];
    expect((await h.call(h.keys.admin, 'DELETE', `/v1/keys/${keyId}`)).status).toBe(204);
    expect((await create(payment({ amount: 3 }), h.keys.agent2)).status).toBe('pending');
  });

  it('shows grants to those who may see them, and refuses conditions it cannot run safely', async () => {
    const first = await create(payment({ amount: 4 }));
    const grantId = await approveWithGrant(first.id, {});
    expect((await h.call(h.keys.carol, 'GET', `/v1/grants/${grantId}`)).status).toBe(404);
    expect((await h.call(h.keys.carol, 'GET', '/v1/grants')).body.items).toEqual([]);
    expect((await h.call(h.keys.bob, 'GET', '/v1/grants')).body.items).toHaveLength(1);
    expect((await h.call(h.keys.agent, 'GET', '/v1/grants')).body.items).toHaveLength(1);
    expect((await h.call(h.keys.agent2, 'GET', '/v1/grants')).body.items).toHaveLength(0);
    expect((await h.call(h.keys.alice, 'POST', '/v1/grants', { tool: 'x' })).status).toBe(403);

    const bad = async (grant: Record<string, unknown>) => {
      // Other arguments than the grant's, so the request stays pending.
      const request = await create(payment({ amount: 44, to: 'acme' }));
      return h.call(h.keys.alice, 'POST', `/v1/requests/${request.id}/decisions`, {
        outcome: 'approve',
        grant,
      });
    };
    expect((await bad({ when: 'args.to.matches("^(a|a)*$")' })).body.error.message).toMatch(
      /matches/,
    );
    expect((await bad({ when: 'args.amount +' })).status).toBe(400);
    expect((await bad({ lifetime: '2d' })).body.error.message).toMatch(/at most 1d/);
    expect((await bad({ appliesTo: 'run' })).status).toBe(400);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

/** What the gate sends for the policy: `small` asked, `big` needs finance. */
const policy = {
  rule: 'small',
  rules: [
    { name: 'never-huge', action: 'deny', when: 'args.amount > 5000000' },
    { name: 'small', action: 'require', when: 'args.amount <= 1000', assignees: ['group:ops'] },
    { name: 'big', action: 'require', when: 'args.amount > 1000', assignees: ['group:finance'] },
  ],
  default: { action: 'deny' },
};

async function createTransfer(withPolicy = true) {
  const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
    action: 'Transfer 500',
    tool: { name: 'transfer_funds', args: { amount: 500, to: 'acc_1' } },
    assignees: ['group:ops'],
    ...(withPolicy ? { policy } : {}),
  });
  expect(created.status).toBe(201);
  return created.body;
}

const edit = (key: string, id: string, amount: number) =>
  h.call(key, 'POST', `/v1/requests/${id}/decisions`, {
    outcome: 'edit',
    args: { amount, to: 'acc_1' },
  });

describe('edits checked against the policy a request carries', () => {
  it('stores and echoes the policy', async () => {
    const request = await createTransfer();
    expect(request.policy).toEqual(policy);
    expect((await h.call(h.keys.alice, 'GET', `/v1/requests/${request.id}`)).body.policy).toEqual(
      policy,
    );
  });

  it('refuses an edit into another require rule whose assignees the editor is not one of', async () => {
    const request = await createTransfer();
    const refused = await edit(h.keys.alice, request.id, 999_999);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'forbidden',
      details: { rule: 'big', assignees: ['group:finance'] },
    });
    expect(refused.body.error.message).toContain('rule "big"');
    const after = await h.call(h.keys.alice, 'GET', `/v1/requests/${request.id}`);
    expect(after.body).toMatchObject({ status: 'pending', version: 1, decisions: [] });
  });

  it('accepts an edit within the rule, and one by an editor who is an assignee of the new rule', async () => {
    const within = await createTransfer();
    expect((await edit(h.keys.alice, within.id, 999)).body.status).toBe('approved');
    // bob is in ops and finance: the server accepts; the gate asks again under "big".
    const across = await createTransfer();
    const accepted = await edit(h.keys.bob, across.id, 999_999);
    expect(accepted.status).toBe(200);
    expect(accepted.body.resolution).toMatchObject({ args: { amount: 999_999 }, edited: true });
  });

  it('leaves edits into a deny rule to the gate, and does not check requests without a policy', async () => {
    const denied = await createTransfer();
    expect((await edit(h.keys.alice, denied.id, 6_000_000)).status).toBe(200);
    const plain = await createTransfer(false);
    expect((await edit(h.keys.alice, plain.id, 999_999)).status).toBe(200);
  });

  it('refuses a policy whose condition does not compile, naming the rule', async () => {
    const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Transfer 500',
      tool: { name: 'transfer_funds', args: { amount: 500 } },
      policy: {
        rules: [{ name: 'broken', action: 'require', when: 'args.amount >' }],
        default: { action: 'deny' },
      },
    });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe('validation_failed');
    expect(created.body.error.message).toContain('rule "broken"');
  });

  it('refuses to evaluate an agent-sent condition that could stall the server, and the request can still be approved', async () => {
    const stalling = {
      rule: 'small',
      rules: [
        // Backtracks exponentially in JavaScript's engine: evaluated, this test would stall past its timeout.
        { name: 'odd', action: 'deny', when: 'args.to.matches("^(a|a)*$")' },
        { name: 'small', action: 'require', assignees: ['group:ops'] },
      ],
      default: { action: 'deny' },
    };
    const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Transfer 500',
      tool: { name: 'transfer_funds', args: { amount: 500, to: 'acc_1' } },
      assignees: ['group:ops'],
      policy: stalling,
    });
    expect(created.status).toBe(201);
    const refused = await h.call(
      h.keys.alice,
      'POST',
      `/v1/requests/${created.body.id}/decisions`,
      {
        outcome: 'edit',
        args: { amount: 500, to: `${'a'.repeat(40)}!` },
      },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'unprocessable', details: { rule: 'odd' } });
    expect(refused.body.error.message).toContain('approve or reject it instead');
    const approved = await h.call(
      h.keys.alice,
      'POST',
      `/v1/requests/${created.body.id}/decisions`,
      {
        outcome: 'approve',
      },
    );
    expect(approved.body.status).toBe('approved');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';

const V1 = `version: 1
default: deny
rules:
  - name: reads
    tools: ["read_*"]
    action: allow
`;
const V2 = `${V1}  - name: transfers
    tools: [transfer]
    action: require
`;

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function auditTypes(): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const reply = await h.call(h.keys.admin, 'GET', '/v1/audit?format=jsonl');
  return reply.text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('/v1/policies', () => {
  it('pushes versions, lists, shows with the diff, rolls back, and audits each change', async () => {
    h = await createHarness();
    const first = await h.call(h.keys.admin, 'POST', '/v1/policies/payments/versions', {
      text: V1,
      file: 'payments.yaml',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      name: 'payments',
      version: 1,
      active: true,
      author: 'user:root',
    });
    const second = await h.call(h.keys.admin, 'POST', '/v1/policies/payments/versions', {
      text: V2,
    });
    expect(second.body).toMatchObject({ version: 2, active: true, state: 'approved' });
    expect(second.body.diff).toContain('+  - name: transfers');
    expect(second.body.diff).toContain('--- payments@1');

    const list = await h.call(h.keys.admin, 'GET', '/v1/policies');
    expect(list.body.items).toEqual([
      expect.objectContaining({ name: 'payments', activeVersion: 2, latestVersion: 2 }),
    ]);
    const show = await h.call(h.keys.admin, 'GET', '/v1/policies/payments/versions/1');
    expect(show.body).toMatchObject({ version: 1, text: V1, file: 'payments.yaml', active: false });

    const agentState = await h.call(h.keys.agent, 'GET', '/v1/control?policy=payments');
    expect(agentState.body.policy).toMatchObject({ version: 2, text: V2 });
    const etag = agentState.headers.get('etag') as string;
    const same = await h.call(h.keys.agent, 'GET', '/v1/control?policy=payments', undefined, {
      'if-none-match': etag,
    });
    expect(same.status).toBe(304);

    const rolled = await h.call(h.keys.admin, 'POST', '/v1/policies/payments/rollback', {
      version: 1,
    });
    expect(rolled.body).toMatchObject({ version: 1, active: true });
    const after = await h.call(h.keys.agent, 'GET', '/v1/control?policy=payments', undefined, {
      'if-none-match': etag,
    });
    expect(after.status).toBe(200);
    expect(after.body.policy.version).toBe(1);

    const audit = await auditTypes();
    expect(audit.map((entry) => entry.type)).toEqual([
      'policy.pushed',
      'policy.pushed',
      'policy.rolled_back',
    ]);
    expect(audit[1]?.data.diff).toContain('+    tools: [transfer]');
    expect(audit[2]?.data).toMatchObject({ from: 2, to: 1 });
  });

  it('refuses a malformed policy naming the file, line and rule, and stores nothing', async () => {
    h = await createHarness();
    const reply = await h.call(h.keys.admin, 'POST', '/v1/policies/payments/versions', {
      file: 'payments.yaml',
      text: 'version: 1\nrules:\n  - name: bad\n    when: args.amount >\n    action: allow\n',
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/^payments\.yaml:4: rule "bad": when: /);
    expect(reply.body.error.details).toMatchObject({ file: 'payments.yaml', line: 4, rule: 'bad' });
    expect((await h.call(h.keys.admin, 'GET', '/v1/policies')).body.items).toEqual([]);
  });

  it('is for admins; agents read only their control state', async () => {
    h = await createHarness();
    const push = await h.call(h.keys.agent, 'POST', '/v1/policies/payments/versions', { text: V1 });
    expect(push.status).toBe(403);
    expect((await h.call(h.keys.alice, 'GET', '/v1/policies')).status).toBe(403);
    expect((await h.call(h.keys.admin, 'GET', '/v1/policies/Bad%20Name/versions')).status).toBe(
      400,
    );
    expect((await h.call(h.keys.admin, 'GET', '/v1/policies/none/versions/1')).status).toBe(404);
    const rollback = await h.call(h.keys.admin, 'POST', '/v1/policies/none/rollback', {
      version: 3,
    });
    expect(rollback.status).toBe(404);
  });

  it('with policyApproval, a push opens a review request and activates only on approval', async () => {
    h = await createHarness({
      policyApproval: { required: true, assignees: ['group:ops'], quorum: 1 },
    });
    await h.call(h.keys.admin, 'POST', '/v1/policies/payments/versions', { text: V1 });
    const proposed = await h.call(h.keys.admin, 'POST', '/v1/policies/payments/versions', {
      text: V2,
    });
    expect(proposed.status).toBe(202);
    expect(proposed.body).toMatchObject({ state: 'proposed', active: false });
    const requestId = proposed.body.requestId as string;
    const request = await h.call(h.keys.alice, 'GET', `/v1/requests/${requestId}`);
    expect(request.body).toMatchObject({ kind: 'review', assignees: ['group:ops'] });
    expect(request.body.context.diff).toContain('+  - name: transfers');
    // Nothing active yet: the first push is proposed too.
    const state = await h.call(h.keys.agent, 'GET', '/v1/control?policy=payments');
    expect(state.body.policy).toBeNull();

    const first = (await h.call(h.keys.admin, 'GET', '/v1/policies/payments/versions')).body
      .items[0];
    await h.call(h.keys.alice, 'POST', `/v1/requests/${first.requestId}/decisions`, {
      outcome: 'approve',
    });
    await h.call(h.keys.alice, 'POST', `/v1/requests/${requestId}/decisions`, {
      outcome: 'reject',
      reason: 'not yet',
    });
    await expect
      .poll(
        async () =>
          (await h.call(h.keys.agent, 'GET', '/v1/control?policy=payments')).body.policy?.version,
      )
      .toBe(1);
    await expect
      .poll(async () =>
        (await h.call(h.keys.admin, 'GET', '/v1/policies/payments/versions')).body.items.map(
          (item: { state: string }) => item.state,
        ),
      )
      .toEqual(['approved', 'rejected']);
    const types = (await auditTypes()).map((entry) => entry.type);
    expect(types).toContain('policy.activated');
    expect(types).toContain('policy.rejected');
  });
});

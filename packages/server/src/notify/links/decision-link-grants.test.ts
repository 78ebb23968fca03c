import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  decisionLinkIn,
  postDecisionForm as post,
} from '../../test-support/decision-link-calls.js';
import { useServerCalls } from '../../test-support/server-calls.js';
import { useSmtpCapture } from '../../test-support/smtp-capture.js';

const start = useServerCalls();
const smtp = useSmtpCapture();

/** The policy scope a gate sends: the rule that asked, with its grants setting. */
function scope(rule: Record<string, unknown> = {}) {
  return {
    rule: 'payments',
    rules: [{ name: 'payments', action: 'require', ...rule }],
    default: { action: 'require' },
  };
}

const payment = (args: Record<string, unknown>, policy = scope()) => ({
  action: 'Pay acme',
  assignees: ['user:alice'],
  tool: { name: 'pay', args },
  policy,
});

async function setUp() {
  const started = await start({
    smtpUrl: smtp.url,
    mailFrom: 'Countersign <approvals@example.com>',
    maxGrantLifetimeMs: 8 * 3_600_000,
  });
  const { server, call } = started;
  const agent = await server.createKey({ role: 'agent', name: 'billing-bot' });
  await server.createKey({ role: 'reviewer', name: 'alice' });
  await call(server.adminKey, 'PATCH', '/v1/users/alice', { email: 'alice@example.com' });
  let mails = 0;
  /** Creates a request and returns it with the decision link of the mail it caused. */
  const ask = async (body: unknown) => {
    const created = await call(agent, 'POST', '/v1/requests', body);
    expect(created.status).toBe(201);
    mails += 1;
    const mail = (await smtp.received(mails)).at(-1) as ParsedMail;
    return { request: created.body, link: decisionLinkIn(mail) };
  };
  const grants = async () =>
    (await call(server.adminKey, 'GET', '/v1/grants?status=all')).body.items;
  return { ...started, agent, ask, grants };
}

describe('grants from the email decision page', () => {
  it('offers a prefilled, capped grant; shows a bad condition on the page; the grant approves the next call', async () => {
    const { call, agent, ask, grants } = await setUp();
    const { request, link } = await ask(payment({ amount: 120, to: 'acme' }));
    const page = await (await fetch(link)).text();
    expect(page).toContain('<summary>Also allow similar calls (a grant)</summary>');
    expect(page).toContain('<details class="grant">');
    expect(page).toContain('name="grant_scope" value="exact" checked');
    expect(page).toContain(
      'Every number up to its value: <code>args.amount &lt;= 120 &amp;&amp; args.to == &quot;acme&quot; &amp;&amp; args.size() == 2</code>',
    );
    // The server caps grants at 8 h: 24 h is not offered; 1 h is chosen; no run id, no "this run".
    expect([...page.matchAll(/<option value="(\w+)"/g)].map((match) => match[1])).toEqual([
      '15m',
      '1h',
      '4h',
      '8h',
      'agent',
      'any',
    ]);
    expect(page).toContain('<option value="1h" selected>');
    expect(page).not.toContain('<script');

    const approve = { decision: 'approve', grant: 'on', grant_lifetime: '1h' };
    const bad = await post(link, {
      ...approve,
      grant_scope: 'custom',
      grant_when: 'args.amount <=',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(
      /<p class="problem" role="alert">Nothing was decided: grant condition: /,
    );
    expect(bad.text).toContain('<details class="grant" open>');
    expect(bad.text).toContain('>args.amount &lt;=</textarea>');
    const long = await post(link, { ...approve, grant_lifetime: '24h' });
    expect([long.status, long.text.includes('A grant lives at most 8h on this server')]).toEqual([
      400,
      true,
    ]);
    expect((await call(agent, 'GET', `/v1/requests/${request.id}`)).body.status).toBe('pending');
    expect(await grants()).toEqual([]);

    // The refusals spent nothing: the same link approves with a grant that fits.
    const approved = await post(link, {
      ...approve,
      grant_scope: 'bounded',
      grant_lifetime: '4h',
      grant_uses: '3',
      grant_for: 'agent',
    });
    expect(approved.status).toBe(200);
    expect(approved.text).toContain('Approved. Thank you.');
    const [grant] = await grants();
    expect(approved.text).toContain(`approved at once for 4h (grant ${grant.id})`);
    expect(grant).toMatchObject({
      when: 'args.amount <= 120 && args.to == "acme" && args.size() == 2',
      maxUses: 3,
      appliesTo: 'agent',
      agent: 'agent:billing-bot',
      grantedBy: 'user:alice',
      fromRequest: request.id,
    });
    const decided = (await call(agent, 'GET', `/v1/requests/${request.id}`)).body;
    expect(decided).toMatchObject({ status: 'approved', resolution: { by: ['user:alice'] } });
    expect(decided.decisions[0].addedGrant).toBe(grant.id);

    const next = await call(agent, 'POST', '/v1/requests', payment({ amount: 100, to: 'acme' }));
    expect(next.body).toMatchObject({
      status: 'approved',
      resolution: { by: ['user:alice'], grant: { id: grant.id, grantedBy: 'user:alice' } },
    });
    const more = await call(agent, 'POST', '/v1/requests', payment({ amount: 121, to: 'acme' }));
    expect(more.body.status).toBe('pending');
  });

  it('says how long the added grant lives when the form names no lifetime: the capped default', async () => {
    const { ask, grants } = await setUp();
    const { link } = await ask(payment({ amount: 7 }, scope({ grants: { maxLifetime: '20m' } })));
    const approved = await post(link, { decision: 'approve', grant: 'on' });
    expect(approved.status, approved.text).toBe(200);
    const [grant] = await grants();
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.createdAt)).toBe(20 * 60_000);
    expect(approved.text).toContain(`approved at once for 20m (grant ${grant.id})`);
  });

  it('offers no grant where the rule forbids grants, and refuses a forged one', async () => {
    const { call, agent, ask, grants } = await setUp();
    const { request, link } = await ask(payment({ amount: 5 }, scope({ grants: false })));
    const page = await (await fetch(link)).text();
    expect(page).toContain('Deciding as');
    expect(page).not.toContain('Also allow similar calls');
    const forged = await post(link, { decision: 'approve', grant: 'on', grant_scope: 'exact' });
    expect(forged.status).toBe(422);
    expect(forged.text).toContain(
      `Request ${request.id} cannot add a grant: its policy rule does not let grants approve its requests`,
    );
    expect((await call(agent, 'GET', `/v1/requests/${request.id}`)).body).toMatchObject({
      status: 'pending',
      decisions: [],
    });
    // Nothing was spent either: a plain approval through the same link still works.
    expect((await post(link, { decision: 'approve' })).text).toContain('Approved. Thank you.');
    expect(await grants()).toEqual([]);
  });
});

import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server.js';
import {
  decisionLinkIn as linkIn,
  postDecisionForm as post,
} from '../../test-support/decision-link-calls.js';
import { useServerCalls } from '../../test-support/server-calls.js';
import { startSmtpCapture, useSmtpCapture } from '../../test-support/smtp-capture.js';
import { signDecisionToken } from '../links/decision-token.js';

const start = useServerCalls();
const smtp = useSmtpCapture();

const HOSTILE = '<script>alert("owned")</script><img src=x onerror=alert(1)>';

async function setUp(options: { manualClock?: boolean } = {}) {
  const started = await start({
    smtpUrl: smtp.url,
    mailFrom: 'Countersign <approvals@example.com>',
    ...options,
  });
  const { server, call } = started;
  const agent = await server.createKey({ role: 'agent', name: 'billing-bot' });
  const alice = await server.createKey({ role: 'reviewer', name: 'alice' });
  await call(server.adminKey, 'PATCH', '/v1/users/alice', {
    email: 'alice@example.com',
    displayName: 'Alice Martin',
  });
  return { ...started, agent, alice };
}

describe('email notifications and signed decision links', () => {
  it('mails the assignee an escaped, threaded message whose link decides only on POST, once', async () => {
    const { server, call, agent } = await setUp({ manualClock: true });
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'Refund order 1042',
      assignees: ['user:alice'],
      tool: { name: 'refund', args: { order: 1042, note: HOSTILE, blob: 'x'.repeat(6000) } },
      context: { customer: 'ACME' },
      timeout: '48h',
      reminders: ['24h'],
    });
    const [first] = await smtp.received(1);
    expect(first?.subject).toBe('Approval needed: Refund order 1042');
    expect(first?.to).toMatchObject({ text: 'alice@example.com' });
    expect(first?.from?.value).toEqual([{ address: 'approvals@example.com', name: 'Countersign' }]);
    expect(first?.text).toContain('billing-bot (agent) asks for your decision');
    expect(first?.text).toContain('Who may decide: alice');
    expect(first?.text).toContain('(cut: open the request for all arguments)');
    expect(first?.html).not.toContain('<script>');
    expect(first?.html).toContain('&lt;script&gt;');
    const link = linkIn(first as ParsedMail);
    expect(link.startsWith(`${server.url}/d/`)).toBe(true);

    // A mail scanner fetching the link twice decides nothing.
    for (let i = 0; i < 2; i++) {
      const page = await fetch(link);
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(html).toContain('Deciding as <strong>Alice Martin</strong>');
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img src=x');
    }
    expect((await call(agent, 'GET', `/v1/requests/${created.body.id}`)).body.status).toBe(
      'pending',
    );

    await server.clock.advance(24 * 3_600_000);
    const [, reminder] = await smtp.received(2);
    expect(reminder?.subject).toBe('Re: Approval needed: Refund order 1042');
    expect(reminder?.inReplyTo).toBe(first?.messageId);
    expect(reminder?.references).toContain(first?.messageId);
    expect(reminder?.text).toContain('Reminder: Alice Martin, this still waits');

    const waiting = call(agent, 'GET', `/v1/requests/${created.body.id}/wait?timeout=30`);
    await server.waitForWaiters(1);
    // The first mail's link still works: the reminder changed nothing that is decided on.
    const approved = await post(link, { decision: 'approve', comment: 'ok <b>fine</b>' });
    expect(approved.status).toBe(200);
    expect(approved.text).toContain('Approved. Thank you.');
    const resumed = await waiting;
    expect(resumed.body).toMatchObject({ status: 'approved' });
    expect(resumed.body.decisions[0]).toMatchObject({
      principal: 'user:alice',
      comment: 'ok <b>fine</b>',
    });

    const reused = await post(link, { decision: 'approve' });
    expect([reused.status, reused.text.includes('already used')]).toEqual([409, true]);
    const other = await post(linkIn(reminder as ParsedMail), { decision: 'reject', reason: 'no' });
    expect(other.status).toBe(409);
    expect(other.text).toContain('Already decided');
    const audit = await server.server.context.store.read((tx) =>
      tx.listAudit({ requestId: created.body.id, limit: 50 }),
    );
    expect(audit.filter((entry) => entry.type === 'notification.delivered')).toHaveLength(2);
  });

  it('shows on the page the arguments that stand after another reviewer edited them', async () => {
    const { server, call, agent } = await setUp({ manualClock: true });
    const bob = await server.createKey({ role: 'reviewer', name: 'bob' });
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'Refund order 7',
      assignees: ['user:alice', 'user:bob'],
      quorum: 2,
      tool: { name: 'refund', args: { order: 7, amount: 900 } },
      timeout: '48h',
      reminders: ['24h'],
    });
    await smtp.received(1);
    const edited = await call(bob, 'POST', `/v1/requests/${created.body.id}/decisions`, {
      outcome: 'edit',
      args: { order: 7, amount: 90 },
    });
    expect(edited.body.status).toBe('pending');
    await server.clock.advance(24 * 3_600_000);
    const [, reminder] = await smtp.received(2);
    const html = await (await fetch(linkIn(reminder as ParsedMail))).text();
    expect(html).toContain('&quot;amount&quot;: 90\n');
    expect(html).not.toContain('&quot;amount&quot;: 900');
  });

  it('refuses forged, wrong-version, stale and expired links with a clear page', async () => {
    const { server, call, agent, alice } = await setUp({ manualClock: true });
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'Rotate the keys',
      assignees: ['user:alice'],
      tool: { name: 'rotate', args: { scope: 'all' } },
      timeout: '2h',
    });
    const link = linkIn((await smtp.received(1))[0] as ParsedMail);
    const token = link.slice(link.lastIndexOf('/') + 1);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const forgedPage = await fetch(`${server.url}/d/${forged}`);
    expect([forgedPage.status, (await forgedPage.text()).includes('not valid')]).toEqual([
      400,
      true,
    ]);
    expect((await post(`${server.url}/d/garbage`, { decision: 'approve' })).status).toBe(400);

    const { notifier, store } = server.server.context as typeof server.server.context & {
      notifier: import('../notifier.js').Notifier;
    };
    const secret = await store.transaction((tx) => notifier.linkSecret(tx));
    const future = signDecisionToken(secret, {
      nonce: 'n1',
      user: 'alice',
      requestId: created.body.id,
      version: 99,
      fingerprint: created.body.fingerprint,
      expiresAt: Date.parse(created.body.deadline),
    });
    expect((await post(`${server.url}/d/${future}`, { decision: 'approve' })).text).toContain(
      'never existed',
    );

    const reviewerCannotPatch = await call(alice, 'PATCH', `/v1/requests/${created.body.id}`, {
      expectedVersion: 1,
      timeout: '3h',
    });
    expect(reviewerCannotPatch.status).toBe(403);
    await call(agent, 'PATCH', `/v1/requests/${created.body.id}`, {
      expectedVersion: 1,
      timeout: '3h',
    });
    const stale = await post(link, { decision: 'approve' });
    expect([stale.status, stale.text.includes('This request changed')]).toEqual([409, true]);

    await server.clock.advance(2 * 3_600_000);
    const expired = await fetch(link);
    expect([expired.status, (await expired.text()).includes('expired')]).toEqual([410, true]);
    expect((await call(agent, 'GET', `/v1/requests/${created.body.id}`)).body.status).toBe(
      'pending',
    );
  });

  it('rejects with the reason given on the page, and refuses a rejection without one', async () => {
    const { call, agent } = await setUp();
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'Delete the staging bucket',
      assignees: ['user:alice'],
    });
    const link = linkIn((await smtp.received(1))[0] as ParsedMail);
    const empty = await post(link, { decision: 'reject', reason: '  ' });
    expect([empty.status, empty.text.includes('Reject with a reason')]).toEqual([400, true]);
    expect((await post(link, { decision: 'maybe' })).status).toBe(400);
    const rejected = await post(link, { decision: 'reject', reason: 'Still in use by QA' });
    expect(rejected.text).toContain('Rejected. Thank you.');
    const after = (await call(agent, 'GET', `/v1/requests/${created.body.id}`)).body;
    expect(after.resolution).toMatchObject({
      status: 'rejected',
      reason: 'Still in use by QA',
      by: ['user:alice'],
    });
  });

  it('acts as the recipient with the usual checks: a requester cannot approve their own request', async () => {
    const { server, call, alice } = await setUp();
    const created = await call(alice, 'POST', '/v1/requests', {
      action: 'Approve my own expense',
      assignees: ['user:alice'],
      notify: { targets: ['email:alice@example.com'] },
    });
    expect(created.status).toBe(201);
    const link = linkIn((await smtp.received(1))[0] as ParsedMail);
    const refused = await post(link, { decision: 'approve' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('The requester cannot decide its own request');
    expect(
      (await call(server.adminKey, 'GET', `/v1/requests/${created.body.id}`)).body.status,
    ).toBe('pending');
  });

  it('links to the dashboard sign-in instead when decision links are off', async () => {
    const started = await start({ smtpUrl: smtp.url, decisionLinks: 'sign-in' });
    const agent = await started.server.createKey({ role: 'agent', name: 'bot' });
    await started.server.createKey({ role: 'reviewer', name: 'alice' });
    await started.call(started.server.adminKey, 'PATCH', '/v1/users/alice', {
      email: 'a@example.com',
    });
    const created = await started.call(agent, 'POST', '/v1/requests', {
      action: 'x',
      assignees: ['user:alice'],
    });
    const [mail] = await smtp.received(1);
    expect(mail?.text).not.toContain('/d/');
    expect(mail?.text).toContain(
      `Open in the dashboard: ${started.server.url}/#/requests/${created.body.id}`,
    );
  });

  it('retries a relay that answers 4xx and gives up at once on 5xx, where admins see it', async () => {
    const { server, call, agent } = await setUp({ manualClock: true });
    smtp.refuseNext(1, 451);
    await call(agent, 'POST', '/v1/requests', { action: 'first', assignees: ['user:alice'] });
    await server.server.outbox.runDue();
    expect(smtp.messages).toHaveLength(0);
    await server.clock.advance(60_000);
    await server.server.outbox.runDue();
    expect((await smtp.received(1))[0]?.subject).toBe('Approval needed: first');
    smtp.refuseNext(1, 550);
    await call(agent, 'POST', '/v1/requests', { action: 'second', assignees: ['user:alice'] });
    await server.server.outbox.runDue();
    const failed = await call(server.adminKey, 'GET', '/v1/notifications?status=failed');
    expect(failed.body.items).toEqual([
      expect.objectContaining({ address: 'alice@example.com', status: 'failed', attempts: 1 }),
    ]);
    expect(failed.body.items[0].lastError).toContain('550');
  });

  it('upgrades with STARTTLS when the relay offers it', async () => {
    const tls = await startSmtpCapture({ startTls: true });
    try {
      // The test relay's certificate is self-signed; a real relay's is checked.
      const started = await start({ smtpUrl: `${tls.url}?tls.rejectUnauthorized=false` });
      const agent = await started.server.createKey({ role: 'agent', name: 'bot' });
      await started.server.createKey({ role: 'reviewer', name: 'alice' });
      await started.call(started.server.adminKey, 'PATCH', '/v1/users/alice', {
        email: 'a@example.com',
      });
      await started.call(agent, 'POST', '/v1/requests', { action: 'x', assignees: ['user:alice'] });
      await tls.received(1);
      expect(tls.secure).toEqual([true]);
      expect(smtp.secure).toEqual([]);
    } finally {
      await tls.close();
    }
  });

  it('refuses to start when the SMTP relay cannot be reached, naming the option', async () => {
    const closed = await startSmtpCapture();
    await closed.close();
    await expect(
      startServer({ dbPath: ':memory:', port: 0, smtpUrl: `smtp://127.0.0.1:${closed.port}` }),
    ).rejects.toThrow(
      /^--smtp-url \(COUNTERSIGN_SMTP_URL\): cannot use the SMTP relay smtp:\/\/127\.0\.0\.1:\d+\/?: .*ECONNREFUSED/,
    );
  });
});

// A reviewer decides from an email on a phone: the link in a real email (a real SMTP server on
// loopback) opens the server's confirmation page in Chromium, and Approve resumes the waiting agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SmtpCapture,
  startSmtpCapture,
} from '../../packages/server/src/test-support/smtp-capture.ts';
import { type DashboardHarness, startHarness } from './browser-harness';

let smtp: SmtpCapture;
let harness: DashboardHarness;
beforeAll(async () => {
  smtp = await startSmtpCapture();
  harness = await startHarness({ smtpUrl: smtp.url });
  await fetch(`${harness.server.url}/v1/users/alice`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${harness.keys.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'alice@example.com', displayName: 'Alice' }),
  });
});
afterAll(async () => {
  await harness?.close();
  await smtp?.close();
});

describe('decision link from an email', () => {
  it('opens on a phone without JavaScript, approves, and the waiting agent resumes', async () => {
    const request = await harness.createRequest({
      action: 'Pay invoice INV-77 to <Acme & Sons>',
      tool: { name: 'pay', args: { invoice: 'INV-77', amount: 940, memo: '<b>urgent</b>' } },
      assignees: ['user:alice'],
      timeout: '2h',
    });
    const waiting = fetch(`${harness.server.url}/v1/requests/${request.id}/wait?timeout=30`, {
      headers: { authorization: `Bearer ${harness.keys.agent}` },
    }).then((response) => response.json() as Promise<{ status: string }>);
    const [mail] = await smtp.received(1);
    const link = /Review and decide: (\S+)/.exec(mail?.text ?? '')?.[1] as string;
    expect(link).toContain('/d/');

    const { page, errors } = await harness.newPage({ phone: true });
    await page.goto(link);
    await page.getByRole('heading', { name: 'Pay invoice INV-77 to <Acme & Sons>' }).waitFor();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.getByText('"memo": "<b>urgent</b>"').count()).toBe(1);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await harness.screenshot(page, 'decision-link-phone');
    expect((await harness.getRequest(request.id)).status).toBe('pending');

    await page.getByRole('button', { name: 'Approve' }).tap();
    await page.getByRole('heading', { name: 'Approved. Thank you.' }).waitFor();
    await harness.screenshot(page, 'decision-link-approved');
    expect(await waiting).toMatchObject({ status: 'approved' });
    expect((await harness.getRequest(request.id)).decisions[0]?.principal).toBe('user:alice');

    // Back and submit again: the link is spent.
    await page.goBack();
    await page.reload();
    await page.getByRole('heading', { name: /already used|Already decided/ }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();

    // The dashboard's timeline shows who was told, and how.
    const dashboard = await harness.newPage();
    await harness.signIn(dashboard.page, harness.keys.alice);
    await dashboard.page.goto(`${harness.server.url}/#/requests/${request.id}`);
    await dashboard.page.getByText('Asked alice@example.com by email: sent').waitFor();
    expect(dashboard.errors).toEqual([]);
    await dashboard.page.context().close();
  });

  it('adds a grant from the page on a phone, and the grant approves the next call', async () => {
    const payment = (amount: number) => ({
      action: `Pay ${amount} to acme`,
      tool: { name: 'pay', args: { amount, to: 'acme' } },
      assignees: ['user:alice'],
      policy: {
        rule: 'payments',
        rules: [{ name: 'payments', action: 'require' as const }],
        default: { action: 'require' as const },
      },
    });
    const request = await harness.createRequest(payment(120));
    const [, mail] = await smtp.received(2);
    const link = /Review and decide: (\S+)/.exec(mail?.text ?? '')?.[1] as string;

    const { page, errors } = await harness.newPage({ phone: true });
    await page.goto(link);
    await page.getByText('Also allow similar calls (a grant)').tap();
    await page.getByLabel('Add this grant when I approve').check();
    await page.getByLabel(/Every number up to its value/).check();
    await page.getByLabel('For how long').selectOption('4h');
    await page.getByLabel(/At most this many calls/).fill('2');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.locator('script').count()).toBe(0);
    await harness.screenshot(page, 'decision-link-grant-phone');
    await page.getByRole('button', { name: 'Approve' }).tap();
    await page.getByRole('heading', { name: 'Approved. Thank you.' }).waitFor();
    await page.getByText(/approved at once for 4h \(grant g_/).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();

    const decided = await harness.getRequest(request.id);
    const grantId = decided.decisions[0]?.addedGrant;
    expect(grantId).toMatch(/^g_/);
    const next = await harness.createRequest(payment(90));
    expect(next).toMatchObject({ status: 'approved', resolution: { grant: { id: grantId } } });
  });
});

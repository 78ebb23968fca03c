import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, REFUND_SCHEMA, startHarness } from './browser-harness';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

describe('dashboard: phone and audit', () => {
  it('fits a phone screen without sideways scrolling, and decides there', async () => {
    const request = await harness.createRequest({
      action: 'Refund 120 EUR to customer C-42 for the duplicated March invoice',
      tool: { name: 'refund', args: { customer: 'C-42', amount: 120 }, schema: REFUND_SCHEMA },
      context: { ticket: 'T-1009', note: 'customer called twice about the same charge' },
      timeout: '45m',
    });
    const { page, errors } = await harness.newPage({ phone: true });
    await harness.signIn(page, harness.keys.alice);
    await page.locator(`[data-request-id="${request.id}"]`).waitFor();
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await harness.screenshot(page, 'phone-inbox');

    await page.getByRole('link', { name: /Refund 120 EUR/ }).tap();
    await page.getByRole('heading', { name: 'Your decision' }).waitFor();
    await page.getByRole('button', { name: 'Edit arguments' }).tap();
    await page.getByLabel('amount (required)').fill('100');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await harness.screenshot(page, 'phone-edit');
    await page.getByRole('button', { name: 'Approve with these changes' }).tap();
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();
    expect((await harness.getRequest(request.id)).resolution?.args).toEqual({
      customer: 'C-42',
      amount: 100,
    });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows a request's audit chain and verifies the whole log (admin)", async () => {
    const request = await harness.createRequest({ action: 'Archive the 2019 ledger' });
    await harness.decide(harness.keys.bob, request.id, { outcome: 'approve' });
    const { page } = await harness.newPage();
    await harness.signIn(page, harness.keys.admin);
    await page.goto(`${harness.server.url}/#/requests/${request.id}`);
    await page.getByRole('button', { name: 'Show the audit chain' }).click();
    const entries = page.getByRole('list', { name: 'Audit entries' }).locator(':scope > li');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(2);
    expect(await entries.nth(0).textContent()).toContain('created');
    expect(await entries.nth(1).textContent()).toContain('decided');

    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('button', { name: 'Verify the audit log' }).click();
    await page.getByText('The audit log is intact.').waitFor();
    await harness.screenshot(page, 'audit-verified');
    await page.context().close();
  });

  it('tells a reviewer plainly that the audit log is for admins', async () => {
    const { page } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('button', { name: 'Verify the audit log' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Your key may not verify the audit log.' })
      .waitFor();
    await page.context().close();
  });
});

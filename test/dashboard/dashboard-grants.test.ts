import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, startHarness } from './browser-harness';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

const policy = {
  rule: 'refunds',
  rules: [{ name: 'refunds', action: 'require' as const }],
  default: { action: 'require' as const },
};
const refund = (amount: number) =>
  harness.createRequest({
    action: `Refund ${amount} EUR`,
    tool: { name: 'refund', args: { amount, order: 'o-1' } },
    assignees: ['group:finance'],
    policy,
  });

describe('dashboard: grants', () => {
  it('adds a bounded grant while approving, shows who decided later requests, and revokes it', async () => {
    const first = await refund(80);
    const { page, errors } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    await page.goto(`${harness.server.url}/#/requests/${first.id}`);
    await page.getByRole('button', { name: 'Comment and approve…' }).click();
    await page.getByLabel('Also allow calls like this one for a while (a grant)').check();
    await page.getByLabel(/Up to these amounts/).check();
    await page.getByLabel('For how long').selectOption('4h');
    await page.getByLabel('At most this many calls (optional)').fill('3');
    await harness.screenshot(page, 'approve-with-grant');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const approved = await harness.waitForStatus(first.id, 'approved');
    const grantId = approved.decisions[0]?.addedGrant as string;
    expect(grantId).toMatch(/^g_/);
    await page.getByText(`This approval added grant ${grantId}.`).waitFor();

    const second = await refund(50);
    expect(second.status).toBe('approved');
    expect((await refund(81)).status).toBe('pending');
    await page.goto(`${harness.server.url}/#/requests/${second.id}`);
    await page
      .getByText(`No one was asked: approved by grant ${grantId} (granted by user:alice`)
      .waitFor();

    expect(await page.locator('.timeline').textContent()).toContain(
      `Approved at once by grant ${grantId} of alice (reviewer)`,
    );
    await page.goto(`${harness.server.url}/#/history`);
    await page.getByText('By grant of alice (reviewer)').first().waitFor();

    await page.goto(`${harness.server.url}/#/grants`);
    const card = page.getByRole('listitem', { name: `Grant ${grantId}` });
    await card.getByText('Used 1 of 3 times').waitFor();
    expect(await card.textContent()).toContain('args.amount <= 80');
    await harness.screenshot(page, 'grants-page');
    await card.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No active grants.').waitFor();
    expect((await refund(50)).status).toBe('pending');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

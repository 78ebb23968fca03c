import {
  type CreateRequestInput,
  exactArgsCondition,
  type Grant,
  type ScopeGrants,
} from '@countersign/core';
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
const refund = (amount: number, extra: Partial<CreateRequestInput> = {}) =>
  harness.createRequest({
    action: `Refund ${amount} EUR`,
    tool: { name: 'refund', args: { amount, order: 'o-1' } },
    assignees: ['group:finance'],
    policy,
    ...extra,
  });
/** The refunds rule with its `grants` setting. */
const refundsWith = (grants: ScopeGrants) => ({
  ...policy,
  rules: [{ ...policy.rules[0], grants }],
});
const NO_GRANT = 'The policy rule of this request lets no grant approve calls like it.';
const GRANT_BOX = 'Also allow calls like this one for a while (a grant)';

/** Opens the request's "Comment and approve…" form as alice. */
async function openApproveForm(id: string) {
  const { page, errors } = await harness.newPage();
  await harness.signIn(page, harness.keys.alice);
  await page.goto(`${harness.server.url}/#/requests/${id}`);
  await page.getByRole('button', { name: 'Comment and approve…' }).click();
  return { page, errors };
}

describe('dashboard: grants', () => {
  it('adds a bounded grant while approving, shows who decided later requests, and revokes it', async () => {
    const first = await refund(80);
    const { page, errors } = await openApproveForm(first.id);
    await page.getByLabel(GRANT_BOX).check();
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

  it('offers no grant where the rule forbids grants, needs a quorum or names no rule', async () => {
    for (const extra of [
      { policy: refundsWith(false) },
      { quorum: 2 },
      { policy: undefined },
    ] as Partial<CreateRequestInput>[]) {
      const request = await refund(90, extra);
      expect(request.status).toBe('pending');
      const { page, errors } = await openApproveForm(request.id);
      await page.getByText(NO_GRANT).waitFor();
      expect(await page.getByLabel(GRANT_BOX).count()).toBe(0);
      expect(await page.locator('.grant-fields').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('offers a grant for the arguments as they stand when another reviewer edits them meanwhile', async () => {
    const request = await refund(80, { quorum: 2, policy: refundsWith({}) });
    const { page, errors } = await openApproveForm(request.id);
    await page.getByLabel(GRANT_BOX).waitFor();
    const refetched = page.waitForResponse((response) =>
      response.url().endsWith(`/v1/requests/${request.id}/grant-options`),
    );
    const edited = { amount: 40, order: 'o-1' };
    const edit = await fetch(`${harness.server.url}/v1/requests/${request.id}/decisions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${harness.keys.bob}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ outcome: 'edit', args: edited }),
    });
    expect(edit.status).toBe(200);
    // The page follows the request live; its grant choices must follow the edit too.
    await refetched;
    await page.getByLabel(GRANT_BOX).check();
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const approved = await harness.waitForStatus(request.id, 'approved');
    const grantId = approved.decisions.at(-1)?.addedGrant as string;
    const response = await fetch(`${harness.server.url}/v1/grants/${grantId}`, {
      headers: { authorization: `Bearer ${harness.keys.admin}` },
    });
    expect(((await response.json()) as Grant).when).toBe(exactArgsCondition(edited));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("offers only lifetimes within the rule's cap, and chooses the cap when under 1 h", async () => {
    const request = await refund(70, { policy: refundsWith({ maxLifetime: '30m' }) });
    const { page, errors } = await openApproveForm(request.id);
    await page.getByLabel(GRANT_BOX).check();
    const lifetime = page.getByLabel('For how long');
    expect(await lifetime.locator('option').allTextContents()).toEqual(['15m', '30m']);
    expect(await lifetime.inputValue()).toBe('30m');
    await harness.screenshot(page, 'approve-with-capped-grant');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const approved = await harness.waitForStatus(request.id, 'approved');
    const grantId = approved.decisions[0]?.addedGrant as string;
    await page.getByText(`This approval added grant ${grantId}.`).waitFor();
    const response = await fetch(`${harness.server.url}/v1/grants/${grantId}`, {
      headers: { authorization: `Bearer ${harness.keys.admin}` },
    });
    const grant = (await response.json()) as Grant;
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.createdAt)).toBe(30 * 60_000);
    // The grant fits the rule's cap, so it approves the next such call.
    expect((await refund(70, { policy: refundsWith({ maxLifetime: '30m' }) })).status).toBe(
      'approved',
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, REFUND_SCHEMA, startHarness } from './browser-harness';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

describe('dashboard: sign in and the live inbox', () => {
  it('refuses a wrong key, then signs in without putting the key in the URL', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(harness.server.url);
    await page.getByLabel('Reviewer key').fill('csk_not_a_real_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That key is not valid.' }).waitFor();
    await harness.screenshot(page, 'sign-in-refused');

    await page.getByLabel('Reviewer key').fill(harness.keys.alice);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(page.url()).not.toContain(harness.keys.alice);
    await expect(page.getByText('alice (reviewer)').isVisible()).resolves.toBe(true);

    // A reload keeps the session (sessionStorage); signing out forgets the key.
    await page.reload();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Reviewer key').waitFor();
    const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
    expect(stored).not.toContain(harness.keys.alice);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a new request the moment the agent creates it, and filters the inbox', async () => {
    const { page, errors } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    const before = await page.locator('.card').count();

    const refund = await harness.createRequest({
      action: 'Refund 120 EUR to customer C-42',
      tool: { name: 'refund', args: { customer: 'C-42', amount: 120 }, schema: REFUND_SCHEMA },
      assignees: ['group:finance'],
      timeout: '2h',
    });
    const card = page.locator(`[data-request-id="${refund.id}"]`);
    await card.waitFor({ timeout: 5_000 });
    expect(await card.textContent()).toContain('Waiting for a decision');
    expect(await card.textContent()).toContain('billing-bot (agent)');
    expect(await page.locator('.card').count()).toBe(before + 1);

    await harness.createRequest({
      kind: 'clarification',
      action: 'Which cost centre?',
      question: 'Which cost centre should the laptop go to?',
    });
    await page.getByRole('link', { name: 'Which cost centre?' }).waitFor();
    await harness.screenshot(page, 'inbox-live');

    await page.getByLabel('Kind').selectOption('clarification');
    await expect(card.isVisible()).resolves.toBe(false);
    await page.getByLabel('Kind').selectOption('');
    await page.getByLabel('Assignee').selectOption('group:finance');
    await card.waitFor();
    await expect(page.getByRole('link', { name: 'Which cost centre?' }).count()).resolves.toBe(0);

    // Decided elsewhere: the card leaves the inbox live.
    const decided = await harness.decide(harness.keys.bob, refund.id, { outcome: 'approve' });
    expect(decided.status).toBe(200);
    await card.waitFor({ state: 'detached', timeout: 5_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('lists finished requests in the history, with search', async () => {
    const first = await harness.createRequest({ action: 'Delete the staging database' });
    const second = await harness.createRequest({ action: 'Email the quarterly report' });
    await harness.decide(harness.keys.bob, first.id, { outcome: 'reject', reason: 'Still in use' });
    await harness.decide(harness.keys.bob, second.id, { outcome: 'approve' });

    const { page } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    await page.getByRole('link', { name: 'History' }).click();
    await page.locator(`[data-request-id="${first.id}"]`).waitFor();
    await page.getByLabel('Search').fill('staging');
    await expect(page.locator(`[data-request-id="${second.id}"]`).count()).resolves.toBe(0);
    const card = page.locator(`[data-request-id="${first.id}"]`);
    expect(await card.textContent()).toContain('Rejected');
    expect(await card.textContent()).toContain('bob (reviewer)');
    await harness.screenshot(page, 'history-search');
    await page.context().close();
  });
});

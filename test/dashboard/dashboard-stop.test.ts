import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, startHarness } from './browser-harness';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

async function stops(): Promise<Array<{ scope: string; reason: string }>> {
  const response = await fetch(`${harness.server.url}/v1/stops`, {
    headers: { authorization: `Bearer ${harness.keys.admin}` },
  });
  return ((await response.json()) as { items: Array<{ scope: string; reason: string }> }).items;
}

describe('dashboard: emergency stop', () => {
  it('stops one agent only after a confirmation, cancels its pending requests, and resumes it', async () => {
    const pending = await harness.createRequest({ action: 'Refund 40 EUR to C-7' });
    const { page, errors } = await harness.newPage();
    await harness.signIn(page, harness.keys.admin);
    await page.getByRole('link', { name: 'Emergency stop' }).click();
    await page.getByText('Nothing is stopped.').waitFor();
    await page.getByLabel('Scope').selectOption('agent');
    await page.getByLabel('Agent name').fill('billing-bot');
    await page.getByLabel('Reason (the agents are told)').fill('refund loop');
    await page.getByRole('button', { name: 'Stop…' }).click();
    // Nothing happens before the confirmation.
    await page.getByRole('alertdialog', { name: 'Confirm the stop' }).waitFor();
    expect(await stops()).toEqual([]);
    await harness.screenshot(page, 'stop-confirm');
    await page.getByRole('button', { name: 'Yes, stop the agent billing-bot' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Stopped the agent billing-bot. Every call is now denied; 1 pending' })
      .waitFor();
    expect(await stops()).toMatchObject([{ scope: 'agent:billing-bot', reason: 'refund loop' }]);
    expect((await harness.getRequest(pending.id)).status).toBe('cancelled');

    await page.getByRole('button', { name: 'Resume the agent billing-bot' }).click();
    await page.getByText('Nothing is stopped.').waitFor();
    expect(await stops()).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('is not offered to reviewers', async () => {
    const { page } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    expect(await page.getByRole('link', { name: 'Emergency stop' }).count()).toBe(0);
    await page.context().close();
  });
});

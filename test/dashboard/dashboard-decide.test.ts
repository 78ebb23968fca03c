import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, REFUND_SCHEMA, startHarness } from './browser-harness';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

async function openRequest(key: string, id: string) {
  const opened = await harness.newPage();
  await harness.signIn(opened.page, key);
  await opened.page.goto(`${harness.server.url}/#/requests/${id}`);
  await opened.page.getByRole('heading', { name: 'Your decision' }).waitFor();
  return opened;
}

async function waitForStatus(id: string, status: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const request = await harness.getRequest(id);
    if (request.status === status) return request;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`request ${id} never became ${status}`);
}

describe('dashboard: deciding', () => {
  it('approves a request with the button', async () => {
    const request = await harness.createRequest({
      action: 'Restart the billing worker',
      tool: { name: 'restart', args: { service: 'billing-worker' } },
      context: { incident: 'INC-7' },
      runId: 'run-1',
    });
    const { page, errors } = await openRequest(harness.keys.alice, request.id);
    expect(await page.locator('.plain').textContent()).toContain(
      'billing-bot (agent) wants to run the tool restart',
    );
    await harness.screenshot(page, 'request-page');
    await page.getByRole('button', { name: /^Approve/ }).click();
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();
    const decided = await waitForStatus(request.id, 'approved');
    expect(decided.resolution?.by).toEqual(['user:alice']);
    expect(await page.locator('.request .facts').textContent()).toContain('Approved');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('approves with the keyboard shortcut A', async () => {
    const request = await harness.createRequest({ action: 'Rotate the API token' });
    const { page } = await openRequest(harness.keys.alice, request.id);
    await page.keyboard.press('a');
    await waitForStatus(request.id, 'approved');
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();
    await page.context().close();
  });

  it('rejects only with a reason, opened with the shortcut R', async () => {
    const request = await harness.createRequest({
      action: 'Wire 9,000 EUR to a new supplier',
      tool: { name: 'wire', args: { iban: 'DE00 1234', amount: 9000 } },
    });
    const { page } = await openRequest(harness.keys.alice, request.id);
    await page.keyboard.press('r');
    const reason = page.getByLabel('Reason for rejecting (required)');
    await reason.waitFor();
    // Focus moves in an effect after the field renders: wait for it (fails after the timeout).
    await page.waitForFunction((id) => document.activeElement?.id === id, 'reject-reason', {
      timeout: 5_000,
    });
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    await page.getByText('Give a reason').waitFor();
    expect((await harness.getRequest(request.id)).status).toBe('pending');
    await harness.screenshot(page, 'reject-needs-reason');

    await reason.fill('Unknown supplier; call them first');
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    const rejected = await waitForStatus(request.id, 'rejected');
    expect(rejected.resolution?.reason).toBe('Unknown supplier; call them first');
    await page.getByText('Reason: “Unknown supplier; call them first”').waitFor();
    await page.context().close();
  });

  it('edits arguments in a schema form, blocks invalid values, previews the diff', async () => {
    const request = await harness.createRequest({
      action: 'Refund a double charge',
      tool: {
        name: 'refund',
        args: { customer: 'C-42', amount: 120, currency: 'EUR', notify: true },
        schema: REFUND_SCHEMA,
      },
    });
    const { page, errors } = await openRequest(harness.keys.alice, request.id);
    await page.getByRole('button', { name: 'Edit arguments' }).click();
    const amount = page.getByLabel('amount (required)');
    await amount.fill('900');
    await page.getByRole('button', { name: 'Approve with these changes' }).click();
    await page.getByRole('alert').filter({ hasText: 'Must be at most 500' }).waitFor();
    expect((await harness.getRequest(request.id)).status).toBe('pending');

    await amount.fill('60');
    await page.getByLabel('currency').selectOption({ label: 'USD' });
    await page.getByLabel('notify').uncheck();
    const preview = page.getByRole('region', { name: 'Preview of your changes' });
    expect(await preview.textContent()).toMatch(/amount.*Changed.*120.*60/);
    expect(await preview.textContent()).toMatch(/currency.*Changed.*"EUR".*"USD"/);
    await harness.screenshot(page, 'edit-arguments');
    await page.getByRole('button', { name: 'Approve with these changes' }).click();
    const approved = await waitForStatus(request.id, 'approved');
    expect(approved.resolution?.edited).toBe(true);
    expect(approved.resolution?.args).toEqual({
      customer: 'C-42',
      amount: 60,
      currency: 'USD',
      notify: false,
    });
    await page.getByRole('region', { name: 'Arguments as edited by the reviewer' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

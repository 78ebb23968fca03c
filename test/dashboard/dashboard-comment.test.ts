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

describe('dashboard: comments on decisions', () => {
  it('approves with a comment, sent to the API and shown in the outcome and timeline', async () => {
    const request = await harness.createRequest({ action: 'Purge the CDN cache' });
    const { page, errors } = await openRequest(harness.keys.alice, request.id);
    expect(await page.locator('.decide .hint').textContent()).toContain(
      'press A to approve at once (without a comment)',
    );
    await page.getByRole('button', { name: 'Comment and approve…' }).click();
    const field = page.getByLabel('Comment (optional)');
    await field.waitFor();
    // Focus moves in an effect after the field renders: wait for it (fails after the timeout).
    await page.waitForFunction((id) => document.activeElement?.id === id, 'approve-comment', {
      timeout: 5_000,
    });
    // The shortcut must not fire while the reviewer types an "a" in the comment.
    await field.pressSequentially('  Checked with the on-call engineer  ');
    expect((await harness.getRequest(request.id)).status).toBe('pending');
    await harness.screenshot(page, 'approve-with-comment');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();

    const approved = await waitForStatus(request.id, 'approved');
    expect(approved.decisions.map((decision) => decision.comment)).toEqual([
      'Checked with the on-call engineer',
    ]);
    expect(approved.resolution?.comment).toBe('Checked with the on-call engineer');
    await page.getByText('Comment: “Checked with the on-call engineer”', { exact: true }).waitFor();
    expect(await page.locator('.timeline').textContent()).toContain(
      'alice (reviewer) approved (comment: “Checked with the on-call engineer”)',
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a blank comment is left out, and going back from the form approves nothing', async () => {
    const request = await harness.createRequest({ action: 'Flush the mail queue' });
    const { page } = await openRequest(harness.keys.alice, request.id);
    await page.getByRole('button', { name: 'Comment and approve…' }).click();
    await page.getByLabel('Comment (optional)').fill('   ');
    await page.getByRole('button', { name: 'Back' }).click();
    expect((await harness.getRequest(request.id)).status).toBe('pending');
    await page.getByRole('button', { name: 'Comment and approve…' }).click();
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const approved = await waitForStatus(request.id, 'approved');
    expect(approved.decisions[0]?.comment).toBeUndefined();
    expect(approved.resolution?.comment).toBeUndefined();
    await page.context().close();
  });

  it('sends a comment with edited arguments', async () => {
    const request = await harness.createRequest({
      action: 'Refund a late delivery',
      tool: { name: 'refund', args: { customer: 'C-7', amount: 80 }, schema: REFUND_SCHEMA },
    });
    const { page } = await openRequest(harness.keys.alice, request.id);
    await page.getByRole('button', { name: 'Edit arguments' }).click();
    await page.getByLabel('amount (required)').fill('40');
    await page.getByLabel('Comment (optional)').fill('Half: the parcel did arrive');
    await page.getByRole('button', { name: 'Approve with these changes' }).click();
    const approved = await waitForStatus(request.id, 'approved');
    expect(approved.resolution?.args).toEqual({ customer: 'C-7', amount: 40 });
    expect(approved.decisions[0]?.comment).toBe('Half: the parcel did arrive');
    expect(approved.resolution?.comment).toBe('Half: the parcel did arrive');
    await page.getByText('Comment: “Half: the parcel did arrive”', { exact: true }).waitFor();
    await page.context().close();
  });

  it('sends a comment with an answer', async () => {
    const request = await harness.createRequest({
      kind: 'clarification',
      action: 'Which region?',
      question: 'Which region should the new database live in?',
    });
    const { page } = await openRequest(harness.keys.alice, request.id);
    await page.getByRole('button', { name: 'Answer' }).click();
    await page.getByRole('textbox', { name: 'Your answer' }).fill('eu-west-1');
    await page.getByLabel('Comment (optional)').fill('Data must stay in the EU');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    const answered = await waitForStatus(request.id, 'answered');
    expect(answered.resolution?.response).toBe('eu-west-1');
    expect(answered.resolution?.comment).toBe('Data must stay in the EU');
    await page.context().close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, startHarness } from './browser-harness';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

describe('dashboard: someone else decided first', () => {
  it('on a 409 says who decided and never overwrites their decision', async () => {
    const request = await harness.createRequest({ action: 'Drop the old customers table' });
    const { page, errors } = await harness.newPage();
    // No live stream for this page, so it still shows the request as pending when alice clicks.
    await page.route('**/v1/events', (route) => route.abort());
    await page.goto(`${harness.server.url}/#/requests/${request.id}`);
    await page.getByLabel('Reviewer key').fill(harness.keys.alice);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your decision' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();

    const bob = await harness.decide(harness.keys.bob, request.id, {
      outcome: 'reject',
      reason: 'Still referenced by invoices',
    });
    expect(bob.status).toBe(200);
    await page.getByRole('button', { name: /^Approve/ }).click();

    const notice = page.getByRole('alert').filter({ hasText: 'Someone else decided first' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('already rejected');
    expect(await notice.textContent()).toContain('bob (reviewer)');
    expect(await notice.textContent()).toContain('Still referenced by invoices');
    expect(await notice.textContent()).toContain('Your decision was not recorded');
    await harness.screenshot(page, 'conflict-409');

    const after = await harness.getRequest(request.id);
    expect(after.status).toBe('rejected');
    expect(after.decisions.map((decision) => decision.principal)).toEqual(['user:bob']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('after a "request changed" 409, a later successful decision clears the notice', async () => {
    const request = await harness.createRequest({ action: 'Scale the API to 12 replicas' });
    const { page, errors } = await harness.newPage();
    // No live stream, so the page still holds version 1 when the agent changes the request.
    await page.route('**/v1/events', (route) => route.abort());
    await page.goto(`${harness.server.url}/#/requests/${request.id}`);
    await page.getByLabel('Reviewer key').fill(harness.keys.alice);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your decision' }).waitFor();

    const changed = await fetch(`${harness.server.url}/v1/requests/${request.id}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${harness.keys.agent}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        expectedVersion: request.version,
        deadline: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    });
    expect(changed.status).toBe(200);
    await page.getByRole('button', { name: /^Approve/ }).click();
    const notice = page.locator('.notice.conflict');
    await notice.filter({ hasText: 'This request changed' }).waitFor();
    expect((await harness.getRequest(request.id)).status).toBe('pending');

    await page.getByRole('button', { name: /^Approve/ }).click();
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();
    await expect(notice.count()).resolves.toBe(0);
    const after = await harness.getRequest(request.id);
    expect(after.status).toBe('approved');
    expect(after.decisions.map((decision) => decision.principal)).toEqual(['user:alice']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when the stream reports another decision, the page says so and hides the controls', async () => {
    const request = await harness.createRequest({ action: 'Publish the release notes' });
    const { page } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    await page.goto(`${harness.server.url}/#/requests/${request.id}`);
    await page.getByRole('heading', { name: 'Your decision' }).waitFor();

    await harness.decide(harness.keys.bob, request.id, { outcome: 'approve' });
    const notice = page
      .getByRole('alert')
      .filter({ hasText: 'Someone else decided while you were looking' });
    await notice.waitFor({ timeout: 5_000 });
    expect(await notice.textContent()).toContain('already approved by bob (reviewer)');
    await expect(page.getByRole('heading', { name: 'Your decision' }).count()).resolves.toBe(0);
    await harness.screenshot(page, 'conflict-live');
    await page.context().close();
  });
});

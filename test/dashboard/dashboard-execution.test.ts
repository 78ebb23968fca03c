import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, startHarness } from './browser-harness';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

async function report(id: string, body: object) {
  const response = await fetch(`${harness.server.url}/v1/requests/${id}/execution`, {
    method: 'POST',
    headers: { authorization: `Bearer ${harness.keys.agent}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

describe('dashboard: what ran after an approval', () => {
  it('shows that an approved call has not run, then, live, when it started and succeeded', async () => {
    const request = await harness.createRequest({
      action: 'Refund order 1042',
      tool: { name: 'refund', args: { order: 1042, amount: 30 } },
    });
    expect(
      (await harness.decide(harness.keys.alice, request.id, { outcome: 'approve' })).status,
    ).toBe(200);
    const { page, errors } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    await page.goto(`${harness.server.url}/#/requests/${request.id}`);
    await page.getByText('Not run yet: the agent has not started the approved call.').waitFor();

    await report(request.id, { state: 'executing', attempt: 'a1' });
    await page.getByText(/^Running since /).waitFor();
    await report(request.id, { state: 'succeeded', attempt: 'a1' });
    await page.getByText(/^Ran: started .*, succeeded /).waitFor();
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain('The approved call started');
    expect(timeline).toContain('The approved call succeeded');
    await harness.screenshot(page, 'approved-call-ran');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

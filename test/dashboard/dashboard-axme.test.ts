import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, startHarness } from './browser-harness';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

async function axme(method: string, path: string, body?: unknown) {
  const response = await fetch(harness.server.url + path, {
    method,
    headers: { 'x-api-key': harness.keys.agent, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read replies loosely
  return (await response.json()) as any;
}

describe('dashboard: AXME intents', () => {
  it('shows an intent created through the AXME routes and its decision ends the AXME stream', async () => {
    const created = await axme('POST', '/v1/intents', {
      intent_type: 'intent.budget.approval.v1',
      correlation_id: randomUUID(),
      to_agent: 'agent://acme/prod/finance',
      payload: { amount: 32000 },
      human_task: { title: 'Approve the Q3 budget', task_type: 'approval', assignees: ['alice'] },
    });
    const intent = (await axme('GET', `/v1/intents/${created.intent_id}`)).intent;
    // The stream ends at the terminal event, so its text is complete once the dashboard decided.
    const streamed = fetch(
      `${harness.server.url}/v1/intents/${created.intent_id}/events/stream?since=3&wait_seconds=60`,
      { headers: { 'x-api-key': harness.keys.agent } },
    ).then((response) => response.text());

    const { page, errors } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    await page.getByText('Approve the Q3 budget').first().waitFor();
    await page.goto(`${harness.server.url}/#/requests/${intent.countersign_request_id}`);
    await page.getByRole('heading', { name: 'Your decision' }).waitFor();
    await page.getByRole('button', { name: /^Approve/ }).click();
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();

    const text = await streamed;
    expect(text).toContain('event: intent.completed');
    const after = (await axme('GET', `/v1/intents/${created.intent_id}`)).intent;
    expect(after).toMatchObject({
      status: 'COMPLETED',
      result: { outcome: 'approved', decided_by: ['user:alice'] },
    });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

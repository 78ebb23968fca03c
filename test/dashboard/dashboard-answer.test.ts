import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, startHarness } from './browser-harness';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

async function waitForStatus(id: string, status: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const request = await harness.getRequest(id);
    if (request.status === status) return request;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`request ${id} never became ${status}`);
}

describe('dashboard: answering', () => {
  it('fills a form request from its JSON Schema, validating before submit', async () => {
    const request = await harness.createRequest({
      kind: 'form',
      action: 'Shipping details for order 5521',
      responseSchema: {
        type: 'object',
        required: ['address', 'parcels'],
        properties: {
          address: { type: 'string', minLength: 5, title: 'Delivery address' },
          parcels: { type: 'integer', minimum: 1 },
          speed: { enum: ['standard', 'express'] },
          fragile: { type: 'boolean' },
          labels: { type: 'array', items: { type: 'string' } },
        },
      },
    });
    const { page, errors } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    await page.getByRole('link', { name: 'Shipping details for order 5521' }).click();
    await page.getByRole('button', { name: 'Fill in the form' }).click();
    await page.getByRole('button', { name: 'Submit the form' }).click();
    const problems = page.getByRole('alert').filter({ hasText: 'Fix these before submitting' });
    await problems.waitFor();
    expect(await problems.textContent()).toContain('address: Required');
    expect(await problems.textContent()).toContain('parcels: Required');

    await page.getByLabel('Delivery address (required)').fill('1 Quay Street, Dublin');
    await page.getByLabel('parcels (required)').fill('2');
    await page.getByLabel('speed').selectOption('express');
    await page.getByLabel('fragile').check();
    await page.getByRole('button', { name: 'Add an item to labels' }).click();
    await page.getByLabel('Item 1').fill('THIS SIDE UP');
    await harness.screenshot(page, 'form-filled');
    await page.getByRole('button', { name: 'Submit the form' }).click();

    const answered = await waitForStatus(request.id, 'answered');
    expect(answered.resolution?.response).toEqual({
      address: '1 Quay Street, Dublin',
      parcels: 2,
      speed: 'express',
      fragile: true,
      labels: ['THIS SIDE UP'],
    });
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('answers a clarification in words', async () => {
    const request = await harness.createRequest({
      kind: 'clarification',
      action: 'Which cost centre?',
      question: 'Which cost centre should the new laptop be booked to?',
    });
    const { page } = await harness.newPage();
    await harness.signIn(page, harness.keys.alice);
    await page.goto(`${harness.server.url}/#/requests/${request.id}`);
    await page
      .getByText('Question: Which cost centre should the new laptop be booked to?')
      .waitFor();
    await page.getByRole('button', { name: 'Answer' }).click();
    await page.getByRole('textbox', { name: 'Your answer' }).fill('CC-4410 (engineering)');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    const answered = await waitForStatus(request.id, 'answered');
    expect(answered.resolution?.response).toBe('CC-4410 (engineering)');
    await page.context().close();
  });
});

import { fileURLToPath } from 'node:url';
import type { ApprovalRequest } from '@countersign/core';
import type { TestServer } from '@countersign/server/test';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real OpenID provider (oidc-provider) and server set-up the server's own tests sign in with.
import {
  type OidcTestSetup,
  startOidcTestSetup,
} from '../../packages/server/src/test-support/oidc-test-server.js';
import { ARTIFACTS, CHROMIUM_ARGS } from './browser-harness';

const BUILT_DASHBOARD = fileURLToPath(
  new URL('../../packages/server/dist/dashboard/', import.meta.url),
);

let setup: OidcTestSetup;
let server: TestServer;
let browser: Browser;
let publicUrl: string;
let agentKey: string;

beforeAll(async () => {
  setup = await startOidcTestSetup({
    people: [{ login: 'alice', email: 'alice@example.com', groups: ['finance'] }],
    // The set-up runs the server from source, so it is pointed at the built dashboard.
    server: { reviewerAuth: 'oidc', dashboardDir: BUILT_DASHBOARD },
    oidc: { providerName: 'Acme ID' },
  });
  ({ server, publicUrl } = setup);
  agentKey = await server.createKey({ role: 'agent', name: 'billing-bot' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await setup?.close();
});

async function create(action: string, assignees: string[]): Promise<ApprovalRequest> {
  const response = await fetch(`${server.url}/v1/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action, assignees, tool: { name: 'refund', args: { amount: 40 } } }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as ApprovalRequest;
}

async function read(id: string): Promise<ApprovalRequest> {
  const response = await fetch(`${server.url}/v1/requests/${id}`, {
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  return (await response.json()) as ApprovalRequest;
}

describe('dashboard: signing in with the identity provider', () => {
  it('signs in through the provider, sees only assigned requests, approves, signs out', async () => {
    const mine = await create('Refund 40 EUR to C-17', ['group:finance']);
    const other = await create('Rotate the deploy key', ['user:bob']);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(publicUrl);
    const button = page.getByRole('link', { name: 'Sign in with Acme ID' });
    await button.waitFor();
    // Reviewers may not use keys here: only the folded admin-key form is left.
    expect(await page.getByLabel('Reviewer key').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/oidc-sign-in.png`, fullPage: true });
    await button.click();

    // The provider's own pages: its login form, then its consent.
    await page.locator('input[name="login"]').fill('alice');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByText('Refund 40 EUR to C-17').first().waitFor();
    expect(await page.getByText('Rotate the deploy key').count()).toBe(0);
    expect(await page.locator('.who').textContent()).toContain('alice');

    await page.goto(`${publicUrl}/#/requests/${mine.id}`);
    await page.getByRole('heading', { name: 'Your decision' }).waitFor();
    await page.getByRole('button', { name: /^Approve/ }).click();
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();
    const decided = await read(mine.id);
    expect(decided.status).toBe('approved');
    expect(decided.resolution?.by).toEqual(['user:alice']);
    expect((await read(other.id)).status).toBe('pending');

    const cookies = await context.cookies(publicUrl);
    const session = cookies.find((cookie) => cookie.name === 'countersign-session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).waitFor();
    // The session ended on the server: the old cookie is worthless.
    const stale = await fetch(`${publicUrl}/v1/me`, {
      headers: { cookie: `countersign-session=${session?.value}` },
    });
    expect(stale.status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });
});

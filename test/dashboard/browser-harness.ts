import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApprovalRequest, CreateRequestInput, DecisionInput } from '@countersign/core';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'dashboard');

/** A real server, its keys, and a real browser. */
export interface DashboardHarness {
  server: TestServer;
  browser: Browser;
  keys: { alice: string; bob: string; agent: string; admin: string };
  /** Creates a request as the agent, through the API. */
  createRequest(body: CreateRequestInput): Promise<ApprovalRequest>;
  /** Decides through the API with a key; returns the HTTP status and body. */
  decide(key: string, id: string, body: DecisionInput): Promise<{ status: number; body: unknown }>;
  /** Reads a request through the API. */
  getRequest(id: string): Promise<ApprovalRequest>;
  /** Resolves with the request once it has `status`; fails after 5 s. */
  waitForStatus(id: string, status: string): Promise<ApprovalRequest>;
  /** A fresh page (own session storage), optionally phone-sized, with page errors collected. */
  newPage(options?: { phone?: boolean }): Promise<{ page: Page; errors: string[] }>;
  /** Signs in on the dashboard and waits for the live inbox. */
  signIn(page: Page, key: string): Promise<void>;
  /** Saves a full-page screenshot under test-artifacts/dashboard. */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the server (which serves the built dashboard at `/`) and Chromium. */
export async function startHarness(): Promise<DashboardHarness> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startTestServer();
  const keys = {
    alice: await server.createKey({ role: 'reviewer', name: 'alice', groups: ['finance'] }),
    bob: await server.createKey({ role: 'reviewer', name: 'bob', groups: ['finance'] }),
    agent: await server.createKey({ role: 'agent', name: 'billing-bot' }),
    admin: server.adminKey,
  };
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const api = async (key: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  return {
    server,
    browser,
    keys,
    async createRequest(body) {
      const { status, body: created } = await api(keys.agent, 'POST', '/v1/requests', body);
      if (status !== 201) throw new Error(`create answered ${status}: ${JSON.stringify(created)}`);
      return created as ApprovalRequest;
    },
    decide: (key, id, body) => api(key, 'POST', `/v1/requests/${id}/decisions`, body),
    async getRequest(id) {
      return (await api(keys.admin, 'GET', `/v1/requests/${id}`)).body as ApprovalRequest;
    },
    async waitForStatus(id, status) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const request = (await api(keys.admin, 'GET', `/v1/requests/${id}`))
          .body as ApprovalRequest;
        if (request.status === status) return request;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`request ${id} never became ${status}`);
    },
    async newPage(options = {}) {
      const context = await browser.newContext(
        options.phone
          ? {
              viewport: { width: 390, height: 844 },
              isMobile: true,
              hasTouch: true,
              deviceScaleFactor: 2,
            }
          : { viewport: { width: 1280, height: 900 } },
      );
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      return { page, errors };
    },
    async signIn(page, key) {
      await page.goto(server.url);
      await page.getByLabel('Reviewer key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A tool schema for a refund, used across the tests. */
export const REFUND_SCHEMA = {
  type: 'object',
  required: ['customer', 'amount'],
  additionalProperties: false,
  properties: {
    customer: { type: 'string', minLength: 1 },
    amount: { type: 'integer', minimum: 1, maximum: 500, description: 'In whole euros' },
    currency: { enum: ['EUR', 'USD'] },
    notify: { type: 'boolean' },
  },
};

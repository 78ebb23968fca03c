import { fingerprint } from '@countersign/core/fingerprint';
import { PREVIEW_KINDS, PREVIEW_PARTS } from '@countersign/core/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, startHarness } from './browser-harness';
import { previewRequest, SAMPLE_ARGS, XSS_PAYLOAD, XSS_TITLE } from './preview-requests';

let harness: DashboardHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

/** Opens a request page; every request that would leave this machine is recorded and refused. */
async function openRequest(id: string) {
  const opened = await harness.newPage();
  const outside: string[] = [];
  const origin = new URL(harness.server.url).origin;
  await opened.page.context().route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('about:')) {
      return route.continue();
    }
    outside.push(url);
    return route.abort();
  });
  await harness.signIn(opened.page, harness.keys.alice);
  await opened.page.goto(`${harness.server.url}/#/requests/${id}`);
  await opened.page.locator('[data-preview]').waitFor();
  return { ...opened, outside };
}

const frameBody = (page: Page) => page.frameLocator('iframe.preview-frame').locator('body');

describe('dashboard: previews', () => {
  it('renders every kind of preview as its effect, with the raw arguments one click away', async () => {
    const email = await harness.createRequest(previewRequest('email', SAMPLE_ARGS.email));
    let { page, errors } = await openRequest(email.id);
    expect(await page.locator('[data-part=subject] dd').textContent()).toBe('Q3 board report');
    expect(await page.locator('[data-part=to] dd').textContent()).toBe(
      'ceo@example.com, cfo@example.com',
    );
    expect(await page.locator('pre[data-part=body]').textContent()).toContain(
      'the numbers are attached.',
    );
    expect(await page.locator('details.raw-arguments').getAttribute('open')).toBeNull();
    await harness.screenshot(page, 'preview-email');
    await page.context().close();

    const diff = await harness.createRequest(previewRequest('diff', SAMPLE_ARGS.diff));
    ({ page } = await openRequest(diff.id));
    expect(await page.locator('[data-change=removed]').allTextContents()).toEqual([
      '−const b = 2;',
    ]);
    expect(await page.locator('[data-change=added]').allTextContents()).toEqual(['+const b = 3;']);
    expect(await page.locator('[data-part=path]').textContent()).toBe('src/config.ts');
    await harness.screenshot(page, 'preview-diff');
    await page.context().close();

    const sql = await harness.createRequest(previewRequest('sql', SAMPLE_ARGS.sql));
    ({ page } = await openRequest(sql.id));
    expect(await page.locator('.sql-warning').textContent()).toContain('DELETE without WHERE');
    expect(await page.locator('.sql-keyword').allTextContents()).toEqual(['DELETE', 'FROM']);
    await page.context().close();

    const http = await harness.createRequest(previewRequest('http', SAMPLE_ARGS.http));
    ({ page } = await openRequest(http.id));
    expect(await page.locator('.http-method').textContent()).toBe('POST');
    expect(await page.locator('.http-headers').textContent()).toContain('Authorization••••••');
    expect(await page.locator('[data-preview]').textContent()).not.toContain('secret-token-123');
    await page.context().close();

    const money = await harness.createRequest(previewRequest('money', SAMPLE_ARGS.money));
    ({ page } = await openRequest(money.id));
    expect(await page.locator('.money-amount').textContent()).toBe('$12,500.50');
    expect(await page.locator('.money-words').textContent()).toBe(
      'twelve thousand five hundred US dollars and fifty cents',
    );
    await harness.screenshot(page, 'preview-money');
    await page.context().close();

    const markdown = await harness.createRequest(previewRequest('markdown', SAMPLE_ARGS.markdown));
    ({ page } = await openRequest(markdown.id));
    expect(await frameBody(page).locator('h1').textContent()).toBe('Plan');
    expect(await frameBody(page).locator('strong').textContent()).toBe('one');
    await page.context().close();

    const table = await harness.createRequest(previewRequest('table', SAMPLE_ARGS.table));
    ({ page } = await openRequest(table.id));
    expect(await page.locator('.preview-table th').allTextContents()).toEqual(['name', 'role']);
    expect(await page.locator('.preview-table td').allTextContents()).toEqual([
      'alice',
      'admin',
      'bob',
      'viewer',
    ]);
    await page.context().close();

    const json = await harness.createRequest(previewRequest('json', SAMPLE_ARGS.json));
    ({ page, errors } = await openRequest(json.id));
    expect(await page.locator('[data-preview=json] .json-view').textContent()).toContain('deep');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs no script and fetches nothing from outside, whatever an agent puts in any part', async () => {
    const cases = PREVIEW_KINDS.flatMap((kind) => {
      const args = Object.fromEntries(PREVIEW_PARTS[kind].map((part) => [part, XSS_PAYLOAD]));
      if (kind === 'table') args.rows = [{ [XSS_PAYLOAD]: XSS_PAYLOAD }];
      if (kind === 'http') args.headers = { [XSS_PAYLOAD]: XSS_PAYLOAD };
      return kind === 'email'
        ? (['text', 'markdown', 'html'] as const).map((format) =>
            previewRequest(kind, args, { format, title: XSS_TITLE }),
          )
        : [previewRequest(kind, args, { title: XSS_TITLE })];
    });
    for (const body of cases) {
      const request = await harness.createRequest(body);
      const { page, errors, outside } = await openRequest(request.id);
      await page.locator('details.raw-arguments > summary').click();
      await page.locator('details.raw-arguments > .json-view').waitFor();
      expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
      // What an agent wrote shows as text where text belongs: the title is never markup.
      expect(await page.locator('.preview-title').textContent()).toBe(XSS_TITLE);
      for (const frame of page.frames().slice(1)) {
        expect(await frame.locator('script, [onerror], [onload], iframe, form, link').count()).toBe(
          0,
        );
        expect(await frame.locator('a[href^="javascript"]').count()).toBe(0);
      }
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('edits in the preview’s own terms: the arguments change, the diff shows it, the fingerprint follows', async () => {
    const request = await harness.createRequest(previewRequest('email', SAMPLE_ARGS.email));
    const { page } = await openRequest(request.id);
    await page.getByRole('button', { name: 'Edit in the preview' }).click();
    await page.getByLabel('Subject').fill('Q3 board report (draft)');
    const diff = page.getByRole('region', { name: 'Your changes to the arguments' });
    expect(await diff.textContent()).toContain('Q3 board report (draft)');
    await page.getByRole('button', { name: 'Approve with these changes' }).click();
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();
    const decided = await harness.getRequest(request.id);
    const edited = { ...SAMPLE_ARGS.email, subject: 'Q3 board report (draft)' };
    expect(decided.status).toBe('approved');
    expect(decided.resolution?.args).toEqual(edited);
    expect(decided.resolution?.edited).toBe(true);
    expect(decided.decisions[0]?.fingerprint).toBe(fingerprint('email_tool', edited));
    await page.context().close();
  });
});

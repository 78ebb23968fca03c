import { parsePolicy } from '@countersign/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { approvalPageUrl } from '../shared/approval-page.js';
import { startInProcessProxy } from '../test-support/in-process-proxy.js';
import { APPROVAL_CARD_URI, MCP_APP_MIME_TYPE } from './approval-card.js';
import { HOST_PAGE } from './test-host-page.js';

const PUBLIC_URL = 'https://countersign.example.test';
const POLICY = parsePolicy(`version: 1
default: require
approval:
  quorum: 2
  assignees: [group:finance]
  timeout: 30m
`);

let browser: Browser;
type Proxy = Awaited<ReturnType<typeof startInProcessProxy>>;
const proxies: Proxy[] = [];
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(() => browser.close());
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

/** Renders the card in a sandboxed iframe of our minimal MCP Apps host; no network allowed. */
async function renderCard(
  html: string,
  args: unknown,
  result: CallToolResult | null,
  host: { toolName?: string; callServerTool?: (params: unknown) => Promise<unknown> } = {},
) {
  const page: Page = await browser.newPage();
  if (host.callServerTool) await page.exposeFunction('callServerTool', host.callServerTool);
  const toolInfo = host.toolName
    ? { tool: { name: host.toolName, inputSchema: { type: 'object' } } }
    : undefined;
  const network: string[] = [];
  await page.route('**/*', (route) => {
    network.push(route.request().url());
    return route.abort();
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setContent(HOST_PAGE);
  await page.evaluate(
    ([card, input, output, info]) =>
      (globalThis as unknown as { startHost: (...a: unknown[]) => Promise<void> }).startHost(
        card,
        input,
        output,
        info,
      ),
    [html, args, result, toolInfo] as const,
  );
  return { page, card: page.frameLocator('iframe'), network, errors };
}

describe('the approval card (MCP App) in Chromium', () => {
  it('shows the request, its arguments, status, quorum, who decides, a live countdown and the link', async () => {
    const proxy = await startInProcessProxy({
      maxWaitMs: 30,
      policy: POLICY,
      publicUrl: PUBLIC_URL,
    });
    proxies.push(proxy);
    const { tools } = await proxy.client.listTools();
    const gated = tools.find((tool) => tool.name === 'delete_file');
    expect(gated?._meta?.ui).toEqual({ resourceUri: APPROVAL_CARD_URI });
    expect(tools.find((tool) => tool.name === 'get_balance')?._meta).toBeUndefined();
    const read = await proxy.client.readResource({ uri: APPROVAL_CARD_URI });
    const content = read.contents[0] as { mimeType: string; text: string };
    expect(content.mimeType).toBe(MCP_APP_MIME_TYPE);
    const args = { path: '/reports/q3.md' };
    await proxy.client.callTool({ name: 'delete_file', arguments: args });
    const [request] = proxy.service.requests();
    await proxy.service.decide(request!.id, { outcome: 'approve' }, { principal: 'user:alice' });
    // check_request gives the current state: one of two approvals so far.
    const pending = (await proxy.client.callTool({
      name: 'check_request',
      arguments: { request_id: request!.id },
    })) as CallToolResult;

    const { page, card, network, errors } = await renderCard(content.text, args, pending);
    await expect
      .poll(() => card.locator('#request').textContent())
      .toBe(`Countersign request ${request!.id}`);
    expect(await card.locator('#title').textContent()).toBe('delete_file');
    expect(await card.locator('#status').textContent()).toBe('pending');
    expect(JSON.parse((await card.locator('#args').textContent()) ?? '')).toEqual(args);
    expect(await card.locator('#quorum').textContent()).toBe('1 of 2 approvals');
    expect(await card.locator('#who').textContent()).toBe('Who may decide: group:finance');
    const first = await card.locator('#countdown').textContent();
    expect(first).toMatch(/^expires in (29m|30m) \d+s$/);
    await expect
      .poll(() => card.locator('#countdown').textContent(), { timeout: 5_000 })
      .not.toBe(first);
    await card.locator('#dashboard').click();
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { opened: string[] }).opened), {
        timeout: 5_000,
      })
      .toEqual([approvalPageUrl(PUBLIC_URL, request!.id)]);
    expect(network).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each([
    ['Approve', true],
    ['Reject', false],
  ] as const)(
    'on the elicit channel, %s in the card answers the waiting call',
    async (button, approve) => {
      let asked = false;
      const proxy = await startInProcessProxy({
        defaultChannel: 'elicit',
        // The form in the client stays open: the user answers in the card instead.
        onElicit: () => {
          asked = true;
          return new Promise(() => {});
        },
        clientCapabilities: {
          extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: [MCP_APP_MIME_TYPE] } },
        },
      });
      proxies.push(proxy);
      const { tools } = await proxy.client.listTools();
      expect(tools.find((tool) => tool.name === 'countersign_confirm')?._meta?.ui).toEqual({
        visibility: ['app'],
      });
      const read = await proxy.client.readResource({ uri: APPROVAL_CARD_URI });
      const html = (read.contents[0] as { text: string }).text;
      const args = { path: `/card-${button}` };
      const calling = proxy.client.callTool({ name: 'delete_file', arguments: args });
      await expect.poll(() => asked).toBe(true);
      const { page, card, network, errors } = await renderCard(html, args, null, {
        toolName: 'delete_file',
        callServerTool: (params) => proxy.client.callTool(params as never),
      });
      await expect.poll(() => card.locator('#decide').isVisible(), { timeout: 15_000 }).toBe(true);
      await card.locator('#reason').fill('checked by hand');
      await card.getByRole('button', { name: button }).click();
      await expect
        .poll(() => card.locator('#note').textContent())
        .toBe(approve ? 'Approved delete_file.' : 'Rejected delete_file.');
      const result = (await calling) as CallToolResult;
      if (approve) {
        expect(result.content).toEqual([{ type: 'text', text: `deleted ${args.path}` }]);
        expect(proxy.calls).toEqual([{ tool: 'delete_file', args }]);
      } else {
        expect(result.isError).toBe(true);
        expect(JSON.stringify(result.content)).toContain(
          'rejected delete_file in the approval card: checked by hand',
        );
        expect(proxy.calls).toEqual([]);
      }
      expect(proxy.service.requests()).toHaveLength(0);
      expect(network).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});

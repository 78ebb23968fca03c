import { definePolicy, ServiceUnavailableError } from '@countersign/core';
import {
  type CallToolResult,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startInProcessProxy } from '../test-support/in-process-proxy.js';

type Proxy = Awaited<ReturnType<typeof startInProcessProxy>>;
let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

function text(result: unknown): string {
  const content = (result as CallToolResult).content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

describe('proxy listing and policy', () => {
  it('re-exposes upstream tools with schemas and annotations intact, plus check_request', async () => {
    proxy = await startInProcessProxy();
    const { tools } = await proxy.client.listTools();
    const transfer = tools.find((tool) => tool.name === 'transfer_funds');
    expect(transfer?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: false });
    expect(transfer?.outputSchema?.properties).toHaveProperty('txId');
    expect(transfer?.inputSchema.required).toEqual(['to', 'amount']);
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'check_request',
      'delete_file',
      'get_balance',
      'transfer_funds',
    ]);
  });

  it('tells the client when the upstream tool list changes', async () => {
    proxy = await startInProcessProxy();
    const changed = new Promise<void>((resolve) => {
      proxy!.client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve());
    });
    proxy.upstreamServer.registerTool(
      'late_tool',
      { description: 'Added after start', annotations: { readOnlyHint: true } },
      async () => ({ content: [{ type: 'text', text: 'late' }] }),
    );
    await changed;
    const { tools } = await proxy.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('late_tool');
    expect(text(await proxy.client.callTool({ name: 'late_tool', arguments: {} }))).toBe('late');
  });

  it('forwards read-only calls under the default policy without asking anyone', async () => {
    proxy = await startInProcessProxy();
    const result = await proxy.client.callTool({
      name: 'get_balance',
      arguments: { account: 'a' },
    });
    expect(text(result)).toBe('a: 100');
    expect(proxy.service.calls.filter((call) => call.method === 'create')).toHaveLength(0);
  });

  it('returns the policy message as an error and never calls upstream on deny', async () => {
    const policy = definePolicy({
      version: 1,
      default: 'allow',
      rules: [{ tools: 'delete_*', action: 'deny', message: 'Deleting is not allowed here.' }],
    });
    proxy = await startInProcessProxy({ policy });
    const result = await proxy.client.callTool({ name: 'delete_file', arguments: { path: '/x' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('Deleting is not allowed here.');
    expect(proxy.calls).toEqual([]);
  });

  it('answers an unknown tool with an error result', async () => {
    proxy = await startInProcessProxy();
    const result = await proxy.client.callTool({ name: 'nope', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('Unknown tool "nope"');
  });
});

describe('proxy approvals', () => {
  it('forwards once a human approves, with the tool call sent for review', async () => {
    proxy = await startInProcessProxy();
    const { service } = proxy;
    const calling = proxy.client.callTool({ name: 'delete_file', arguments: { path: '/tmp/a' } });
    const request = await service.waitForRequest();
    expect(request.tool).toMatchObject({
      name: 'delete_file',
      args: { path: '/tmp/a' },
      annotations: { destructiveHint: true },
    });
    expect(proxy.calls).toEqual([]);
    await service.decide(request.id, { outcome: 'approve' });
    expect(text(await calling)).toBe('deleted /tmp/a');
    expect(proxy.calls).toEqual([{ tool: 'delete_file', args: { path: '/tmp/a' } }]);
  });

  it('forwards the edited arguments, and refuses edits that break the input schema', async () => {
    proxy = await startInProcessProxy();
    const { service } = proxy;
    const first = proxy.client.callTool({
      name: 'transfer_funds',
      arguments: { to: 'bob', amount: 500 },
    });
    const one = await service.waitForRequest();
    await service.decide(one.id, { outcome: 'edit', args: { to: 'bob', amount: 50 } });
    expect((await first).structuredContent).toEqual({ ok: true, txId: 'tx-bob-50' });
    const second = proxy.client.callTool({
      name: 'transfer_funds',
      arguments: { to: 'eve', amount: 9 },
    });
    const two = await service.waitForRequest((request) => request.id !== one.id);
    await service.decide(two.id, { outcome: 'edit', args: { to: 'eve', amount: -1 } });
    const refused = await second;
    expect(refused.isError).toBe(true);
    expect(proxy.calls).toEqual([{ tool: 'transfer_funds', args: { to: 'bob', amount: 50 } }]);
  });

  it('hands the reviewer’s rejection reason to the model', async () => {
    proxy = await startInProcessProxy();
    const calling = proxy.client.callTool({ name: 'delete_file', arguments: { path: '/etc' } });
    const request = await proxy.service.waitForRequest();
    await proxy.service.decide(request.id, { outcome: 'reject', reason: 'never touch /etc' });
    const result = await calling;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('never touch /etc');
    expect(proxy.calls).toEqual([]);
  });

  it('treats expiry as not run and not rejected', async () => {
    proxy = await startInProcessProxy();
    const calling = proxy.client.callTool({ name: 'delete_file', arguments: { path: '/a' } });
    const request = await proxy.service.waitForRequest();
    proxy.service.expire(request.id);
    const result = await calling;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('not a rejection');
    expect(proxy.calls).toEqual([]);
  });

  it('fails closed when the approval service is down', async () => {
    proxy = await startInProcessProxy();
    proxy.service.failWith(new ServiceUnavailableError());
    const result = await proxy.client.callTool({ name: 'delete_file', arguments: { path: '/a' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('could not be reached');
    expect(proxy.calls).toEqual([]);
  });

  it('returns the human’s answer instead of running the tool on respond', async () => {
    proxy = await startInProcessProxy();
    const calling = proxy.client.callTool({ name: 'delete_file', arguments: { path: '/a' } });
    const request = await proxy.service.waitForRequest();
    await proxy.service.decide(request.id, { outcome: 'respond', response: 'Use /b instead' });
    const result = await calling;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('Use /b instead');
    expect(proxy.calls).toEqual([]);
  });
});

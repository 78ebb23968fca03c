import { definePolicy } from '@countersign/core';
import type { CallToolResult, ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startInProcessProxy } from '../test-support/in-process-proxy.js';

type Proxy = Awaited<ReturnType<typeof startInProcessProxy>>;
let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

function text(result: unknown): string {
  return (result as CallToolResult).content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n');
}

const elicitRule = definePolicy({
  version: 1,
  default: 'allow',
  rules: [
    {
      name: 'confirm-deletes',
      tools: 'delete_*',
      action: 'require',
      approval: { channel: 'elicit' },
    },
  ],
});

describe('elicitation channel', () => {
  it('runs the call when the user accepts in the client, without a server request', async () => {
    const asked: ElicitRequest[] = [];
    proxy = await startInProcessProxy({
      policy: elicitRule,
      onElicit: (request) => {
        asked.push(request);
        return { action: 'accept', content: { approve: true } };
      },
    });
    const result = await proxy.client.callTool({ name: 'delete_file', arguments: { path: '/a' } });
    expect(text(result)).toBe('deleted /a');
    expect(asked[0]?.params.message).toContain('delete_file({"path":"/a"})');
    expect(proxy.service.requests()).toEqual([]);
  });

  it('does not run the call when the user declines, and says why', async () => {
    proxy = await startInProcessProxy({
      policy: elicitRule,
      onElicit: () => ({ action: 'accept', content: { approve: false, reason: 'wrong file' } }),
    });
    const result = await proxy.client.callTool({ name: 'delete_file', arguments: { path: '/a' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('wrong file');
    expect(proxy.calls).toEqual([]);
  });

  it('treats a dismissed form as a refusal', async () => {
    proxy = await startInProcessProxy({
      policy: elicitRule,
      onElicit: () => ({ action: 'cancel' }),
    });
    const result = await proxy.client.callTool({ name: 'delete_file', arguments: { path: '/a' } });
    expect(result.isError).toBe(true);
    expect(proxy.calls).toEqual([]);
  });

  it('falls back to the server for a client without elicitation', async () => {
    proxy = await startInProcessProxy({ policy: elicitRule });
    const calling = proxy.client.callTool({ name: 'delete_file', arguments: { path: '/a' } });
    const request = await proxy.service.waitForRequest();
    await proxy.service.decide(request.id, { outcome: 'approve' });
    expect(text(await calling)).toBe('deleted /a');
  });

  it('asks the client first and then the server with --elicit-first', async () => {
    proxy = await startInProcessProxy({
      defaultChannel: 'elicit-then-server',
      onElicit: () => ({ action: 'accept', content: { approve: true } }),
    });
    const calling = proxy.client.callTool({ name: 'delete_file', arguments: { path: '/a' } });
    const request = await proxy.service.waitForRequest();
    expect(proxy.calls).toEqual([]);
    await proxy.service.decide(request.id, { outcome: 'reject', reason: 'team says no' });
    const result = await calling;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('team says no');
    expect(proxy.calls).toEqual([]);
  });

  it('never elicits for calls the policy allows', async () => {
    let asked = 0;
    proxy = await startInProcessProxy({
      defaultChannel: 'elicit',
      onElicit: () => {
        asked += 1;
        return { action: 'decline' };
      },
    });
    const result = await proxy.client.callTool({
      name: 'get_balance',
      arguments: { account: 'z' },
    });
    expect(text(result)).toBe('z: 100');
    expect(asked).toBe(0);
  });
});

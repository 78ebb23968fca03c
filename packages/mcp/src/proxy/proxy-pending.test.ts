import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamCallRecord } from '../test-support/destructive-upstream.js';
import { startInProcessProxy } from '../test-support/in-process-proxy.js';
import { PendingCallStore } from './pending-call-store.js';

type Proxy = Awaited<ReturnType<typeof startInProcessProxy>>;
const proxies: Proxy[] = [];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countersign-mcp-'));
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startInProcessProxy>[0]) {
  const proxy = await startInProcessProxy(options);
  proxies.push(proxy);
  return proxy;
}

function text(result: unknown): string {
  return (result as CallToolResult).content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n');
}

function check(proxy: Proxy, requestId: string) {
  return proxy.client.callTool({ name: 'check_request', arguments: { request_id: requestId } });
}

describe('pending calls and check_request', () => {
  it('answers pending past max-wait (not an error), then runs the call exactly once', async () => {
    const proxy = await start({ maxWaitMs: 30 });
    const progress: number[] = [];
    const first = await proxy.client.callTool(
      { name: 'delete_file', arguments: { path: '/a' } },
      undefined,
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(first.isError).toBeFalsy();
    const { requestId } = first.structuredContent as { requestId: string };
    expect(text(first)).toContain(`check_request with {"request_id": "${requestId}"}`);
    expect(progress.length).toBeGreaterThan(0);
    expect(text(await check(proxy, requestId))).toContain('has NOT run yet');
    await proxy.service.decide(requestId, { outcome: 'approve' });
    const [a, b] = await Promise.all([check(proxy, requestId), check(proxy, requestId)]);
    const again = await check(proxy, requestId);
    for (const result of [a, b, again]) expect(text(result)).toBe('deleted /a');
    expect(proxy.calls).toEqual([{ tool: 'delete_file', args: { path: '/a' } }]);
    // Each re-check re-attaches through the idempotent create: still one request.
    expect(proxy.service.requests()).toHaveLength(1);
  });

  it('reports a pending call to an outputSchema tool as an error result the client accepts', async () => {
    const proxy = await start({ maxWaitMs: 20 });
    const result = await proxy.client.callTool({
      name: 'transfer_funds',
      arguments: { to: 'x', amount: 1 },
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('has NOT run yet');
    const [request] = proxy.service.requests();
    await proxy.service.decide(request!.id, { outcome: 'approve' });
    const done = await check(proxy, request!.id);
    expect(done.structuredContent).toEqual({ ok: true, txId: 'tx-x-1' });
  });

  it('stores a rejection so check_request repeats it without running anything', async () => {
    const proxy = await start({ maxWaitMs: 20 });
    const first = await proxy.client.callTool({ name: 'delete_file', arguments: { path: '/b' } });
    const { requestId } = first.structuredContent as { requestId: string };
    await proxy.service.decide(requestId, { outcome: 'reject', reason: 'no' });
    expect(text(await check(proxy, requestId))).toContain('rejected this call: no');
    expect(text(await check(proxy, requestId))).toContain('rejected this call: no');
    expect(proxy.calls).toEqual([]);
  });

  it('re-attaches an identical call to the request of a call the client cancelled', async () => {
    const proxy = await start({ maxWaitMs: 2_000 });
    const controller = new AbortController();
    const first = proxy.client.callTool(
      { name: 'delete_file', arguments: { path: '/again' } },
      undefined,
      { signal: controller.signal },
    );
    await expect.poll(() => proxy.service.requests().length).toBe(1);
    controller.abort();
    await expect(first).rejects.toThrow();
    const [request] = proxy.service.requests();
    const second = proxy.client.callTool({ name: 'delete_file', arguments: { path: '/again' } });
    await proxy.service.decide(request!.id, { outcome: 'approve' });
    expect(text(await second)).toBe('deleted /again');
    expect(proxy.service.requests()).toHaveLength(1);
    // Once it ran, the same call again is a new action with a new request.
    const later = await proxy.client.callTool({
      name: 'delete_file',
      arguments: { path: '/again' },
    });
    expect(text(later)).toContain('has NOT run yet');
    expect(proxy.service.requests()).toHaveLength(2);
    expect(proxy.calls).toEqual([{ tool: 'delete_file', args: { path: '/again' } }]);
  });

  it('refuses an unknown request id', async () => {
    const proxy = await start({});
    const result = await check(proxy, 'req_unknown');
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('No call with request id "req_unknown"');
  });

  it('lets a restarted proxy finish an approved call from the state file, exactly once', async () => {
    const stateFile = join(dir, 'state.json');
    const calls: UpstreamCallRecord[] = [];
    const before = await start({ maxWaitMs: 20, stateFile, calls, runId: 'run-1' });
    const first = await before.client.callTool({ name: 'delete_file', arguments: { path: '/c' } });
    const { requestId } = first.structuredContent as { requestId: string };
    await before.close();
    proxies.splice(proxies.indexOf(before), 1);
    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(saved).toMatchObject({ schemaVersion: 1, calls: [{ requestId, state: 'pending' }] });
    await before.service.decide(requestId, { outcome: 'approve' });
    const after = await start({ stateFile, calls, service: before.service });
    expect(text(await check(after, requestId))).toBe('deleted /c');
    const restartedAgain = await start({ stateFile, calls, service: before.service });
    expect(text(await check(restartedAgain, requestId))).toBe('deleted /c');
    expect(calls).toHaveLength(1);
  });

  it('never re-runs a call that was executing when the proxy stopped', async () => {
    const stateFile = join(dir, 'state.json');
    const now = new Date().toISOString();
    const record = {
      requestId: 'req_1',
      toolName: 'delete_file',
      args: { path: '/d' },
      toolCallId: 't1',
      runId: 'r1',
      state: 'executing',
      createdAt: now,
      updatedAt: now,
    };
    await writeFile(stateFile, JSON.stringify({ schemaVersion: 1, calls: [record] }));
    const proxy = await start({ stateFile });
    const result = await check(proxy, 'req_1');
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('outcome is unknown');
    expect(proxy.calls).toEqual([]);
  });

  it('refuses a state file with another schema version', async () => {
    const stateFile = join(dir, 'state.json');
    await writeFile(stateFile, JSON.stringify({ schemaVersion: 99, calls: [] }));
    await expect(PendingCallStore.open(stateFile)).rejects.toThrow(/schemaVersion 1/);
  });
});

import { createGate } from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createHumanToolsServerFactory } from '../human-tools/human-tools-server.js';
import { startInProcessProxy } from '../test-support/in-process-proxy.js';
import { UpstreamSet } from '../upstream/upstream-set.js';
import { PendingCallStore } from './pending-call-store.js';
import { createProxyServerFactory } from './proxy-server.js';

/** Matches the one `validation_failed` error naming exactly these problems. */
function refusedWith(owner: string, problems: string[]) {
  return expect.objectContaining({
    name: 'CountersignError',
    code: 'validation_failed',
    message: `${owner}: ${problems.join('; ')}`,
    details: { problems },
  });
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('proxy options', () => {
  it('reports every bad option at once, as validation_failed, at construction', async () => {
    const upstreams = await UpstreamSet.fromConnections([]);
    const store = await PendingCallStore.open();
    const gate = createGate({ service: createFakeApprovalService() });
    const owner = 'createProxyServerFactory';
    expect(() =>
      createProxyServerFactory({
        upstreams,
        store,
        gate: { check: gate.check } as never,
        maxWaitMs: 0,
        progressIntervalMs: Number.NaN,
        defaultChannel: 'email' as never,
        runId: '',
      }),
    ).toThrow(
      refusedWith(owner, [
        'gate must be a Countersign gate with check(input) and evaluate(input) (createGate from @countersign/core)',
        'runId must be a non-empty string',
        'maxWaitMs must be a positive number of milliseconds',
        'progressIntervalMs must be a positive number of milliseconds',
        'defaultChannel must be one of server, elicit, elicit-then-server',
      ]),
    );
    expect(() => createProxyServerFactory({ gate } as never)).toThrow(
      refusedWith(owner, [
        'upstreams must be an UpstreamSet (UpstreamSet.connect or fromConnections)',
        'store must be a PendingCallStore (PendingCallStore.open)',
      ]),
    );
    const service = createFakeApprovalService();
    expect(() => createProxyServerFactory({ upstreams, store, gate, service })).toThrow(
      refusedWith(owner, ['give either gate or policy/service, not both']),
    );
  });

  it('makes its own gate from a policy and a service', async () => {
    const proxy = await startInProcessProxy({ gateFromOptions: true });
    close = proxy.close;
    const calling = proxy.client.callTool({ name: 'delete_file', arguments: { path: '/tmp/a' } });
    const request = await proxy.service.waitForRequest();
    await proxy.service.decide(request.id, { outcome: 'approve' });
    const result = (await calling) as CallToolResult;
    expect(result.content).toEqual([{ type: 'text', text: 'deleted /tmp/a' }]);
    expect(proxy.calls).toEqual([{ tool: 'delete_file', args: { path: '/tmp/a' } }]);
  });
});

describe('human tools options', () => {
  it('are checked at construction, as validation_failed', () => {
    const owner = 'createHumanToolsServerFactory';
    expect(() => createHumanToolsServerFactory({ service: {} as never, maxWaitMs: -5 })).toThrow(
      refusedWith(owner, [
        'service must be an ApprovalService (a CountersignClient)',
        'maxWaitMs must be a positive number of milliseconds',
      ]),
    );
    expect(() => createHumanToolsServerFactory(undefined as never)).toThrow(
      refusedWith(owner, ['options must be an object']),
    );
  });
});

import {
  CountersignClient,
  createGate,
  definePolicy,
  type Gate,
  type GateCheckInput,
} from '@countersign/core';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamCallRecord } from '../test-support/destructive-upstream.js';
import { startInProcessProxy } from '../test-support/in-process-proxy.js';
import { resultText } from '../test-support/task-client.js';

const policy = definePolicy({ version: 1, default: 'require' }, 'proxy-shared-run');

let server: TestServer;
let proxy: Awaited<ReturnType<typeof startInProcessProxy>> | undefined;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await proxy?.close();
  await server.close();
});

/** A record of upstream calls that says when the first one arrives. */
function watchedCalls() {
  const calls: UpstreamCallRecord[] = [];
  let arrived = () => {};
  const firstCall = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  calls.push = (...records) => {
    arrived();
    return Array.prototype.push.apply(calls, records);
  };
  return { calls, firstCall };
}

describe('two callers of one approved call in one proxy, against a real server', () => {
  it('a check answered after the other caller started the call shares its result', async () => {
    const client = (key: string) => new CountersignClient({ baseUrl: server.url, apiKey: key });
    const agent = client(await server.createKey({ role: 'agent', name: 'mcp-bot' }));
    const reviewer = client(await server.createKey({ role: 'reviewer', name: 'alice' }));
    const gate = createGate({ policy, service: agent });
    const { calls, firstCall } = watchedCalls();
    let checks = 0;
    // The second check_request's gate answer comes only once the first has started the call, so
    // the server already holds it as executing and refuses to hand the approval out again.
    const lateSecond: Gate = Object.assign(Object.create(gate), {
      check: async (input: GateCheckInput) => {
        checks += 1;
        if (checks === 3) await firstCall;
        return gate.check(input);
      },
    });
    proxy = await startInProcessProxy({
      gate: { gate: lateSecond, requests: agent },
      calls,
      maxWaitMs: 30,
    });
    const first = await proxy.client.callTool({ name: 'delete_file', arguments: { path: '/e' } });
    const { requestId } = first.structuredContent as { requestId: string };
    await reviewer.decide(requestId, { outcome: 'approve' });
    const checkRequest = () =>
      proxy?.client.callTool({ name: 'check_request', arguments: { request_id: requestId } });
    const [a, b] = await Promise.all([checkRequest(), checkRequest()]);
    expect(checks).toBe(3);
    expect([resultText(a), resultText(b)]).toEqual(['deleted /e', 'deleted /e']);
    expect([...calls]).toEqual([
      { tool: 'delete_file', args: { path: '/e' }, receipt: expect.any(String) },
    ]);
    expect((await agent.get(requestId)).execution?.state).toBe('succeeded');
  });
});

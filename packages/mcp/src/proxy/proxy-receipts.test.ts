import { CountersignClient, createGate, definePolicy, verifyReceipt } from '@countersign/core';
import { startingLate } from '@countersign/core/test';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startInProcessProxy } from '../test-support/in-process-proxy.js';
import { resultText } from '../test-support/task-client.js';

/** Past the server's default receipt lifetime (10 minutes). */
const LATER_MS = 11 * 60_000;
const policy = definePolicy({ version: 1, default: 'require' }, 'proxy-receipts');

let server: TestServer;
let proxy: Awaited<ReturnType<typeof startInProcessProxy>>;
beforeEach(async () => {
  server = await startTestServer({ manualClock: true });
});
afterEach(async () => {
  await proxy?.close();
  await server.close();
});

describe('the proxy forwards a receipt valid when the upstream call starts', () => {
  it('re-signed at executing, after a pending call was approved and checked long after', async () => {
    const client = (key: string) => new CountersignClient({ baseUrl: server.url, apiKey: key });
    const agent = client(await server.createKey({ role: 'agent', name: 'mcp-bot' }));
    const reviewer = client(await server.createKey({ role: 'reviewer', name: 'alice' }));
    // The call is checked again only after the receipt's lifetime, and starts later still.
    const late = startingLate(agent, () => server.clock.advance(LATER_MS));
    proxy = await startInProcessProxy({
      gate: { gate: createGate({ policy, service: late }), requests: agent },
      maxWaitMs: 30,
    });
    const first = await proxy.client.callTool({
      name: 'delete_file',
      arguments: { path: '/late' },
    });
    const { requestId } = first.structuredContent as { requestId: string };
    const decided = await reviewer.decide(requestId, { outcome: 'approve' });
    await server.clock.advance(LATER_MS);
    const done = await proxy.client.callTool({
      name: 'check_request',
      arguments: { request_id: requestId },
    });
    expect(resultText(done)).toBe('deleted /late');
    expect(proxy.calls).toEqual([
      { tool: 'delete_file', args: { path: '/late' }, receipt: expect.any(String) },
    ]);
    const check = async (receipt: string | undefined) =>
      verifyReceipt(receipt, {
        toolName: 'delete_file',
        args: { path: '/late' },
        jwks: await agent.signingKeys(),
        now: new Date(server.clock.now()),
      });
    await expect(check(decided.resolution?.receipt)).rejects.toMatchObject({ reason: 'expired' });
    expect(await check(proxy.calls[0]?.receipt)).toMatchObject({
      sub: requestId,
      jti: decided.resolution?.receiptId,
    });
    expect((await agent.get(requestId)).execution?.state).toBe('succeeded');
  });
});

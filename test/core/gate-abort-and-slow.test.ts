import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CountersignClient, createGate } from '@countersign/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, recordingTool, startHarness } from './e2e-harness.ts';
import { e2ePolicy } from './e2e-policy.ts';

const call = {
  toolName: 'transfer_funds',
  args: { amount: 75, to: 'acc_8' },
  runId: 'run-abort',
  toolCallId: 'call-1',
};

describe('aborting a wait against the real server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('denies with reason aborted, leaves the request pending, and a later check re-attaches', async () => {
    const tool = recordingTool();
    const controller = new AbortController();
    const checking = tool.call(h.gate(e2ePolicy), { ...call, signal: controller.signal });
    const request = await h.nextPending();
    controller.abort();
    const decision = await checking;
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'aborted', requestId: request.id });
    if (decision.outcome !== 'deny') throw new Error('expected a deny');
    expect(decision.message).toContain('aborted');
    expect((await h.agent.get(request.id)).status).toBe('pending');
    expect(tool.runs).toEqual([]);

    await h.alice.decide(request.id, { outcome: 'approve' });
    expect(await tool.call(h.gate(e2ePolicy), call)).toMatchObject({
      outcome: 'allow',
      requestId: request.id,
    });
    expect(await h.allRequests()).toHaveLength(1);
  });
});

describe('a service that never answers', () => {
  // Two attempts of 100 ms each: the client's own timeout ends it, long before the test's 5 s.
  it('denies with unavailable once the request timeout and retries run out', {
    timeout: 5_000,
  }, async () => {
    const hanging = createServer(() => {
      // Accept the request and never answer, like a wedged proxy.
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    try {
      const service = new CountersignClient({
        baseUrl: `http://127.0.0.1:${port}`,
        apiKey: 'csk_test',
        requestTimeoutMs: 100,
        retry: { maxRetries: 1, initialDelayMs: 10, maxDelayMs: 20 },
      });
      const tool = recordingTool();
      const decision = await tool.call(createGate({ policy: e2ePolicy, service }), call);
      expect(decision).toMatchObject({ outcome: 'deny', reason: 'unavailable' });
      expect(tool.runs).toEqual([]);
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});

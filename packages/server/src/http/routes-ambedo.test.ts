import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Ambedo-compatible pause API', () => {
  it('runs the documented JavaScript polling flow unchanged', async () => {
    const apiKey = await server.createKey({ role: 'agent', name: 'deployer' });
    const reviewerKey = await server.createKey({ role: 'reviewer', name: 'alice' });
    const res = await fetch(`${server.url}/api/pause`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        action: 'Deploy to production (v2.4.1)',
        context: { environment: 'prod', commit: 'a3f9b2e' },
      }),
    });
    const { watchId, statusUrl } = (await res.json()) as { watchId: string; statusUrl: string };
    expect(statusUrl).toBe(`${server.url}/api/pause/${watchId}`);

    setTimeout(() => {
      fetch(`${server.url}/api/pause/${watchId}/approve`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${reviewerKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ approved: true }),
      });
    }, 150);

    let outcome = '';
    let last: Record<string, unknown> = {};
    while (true) {
      const status = (await fetch(statusUrl, {
        headers: { Authorization: `Bearer ${apiKey}` },
      }).then((r) => r.json())) as { status: string };
      if (status.status !== 'pending') {
        outcome = status.status === 'approved' ? 'deployed' : 'aborted';
        last = status;
        break;
      }
      await sleep(50);
    }
    expect(outcome).toBe('deployed');
    expect(last).toMatchObject({
      watchId,
      status: 'approved',
      agentContext: {
        action: 'Deploy to production (v2.4.1)',
        context: { environment: 'prod', commit: 'a3f9b2e' },
      },
    });
    expect(typeof last.resolvedAt).toBe('string');
    const v1 = await fetch(`${server.url}/v1/requests/${watchId}`, {
      headers: { Authorization: `Bearer ${apiKey}` },
    }).then((r) => r.json());
    expect(v1).toMatchObject({ status: 'approved', requester: 'agent:deployer' });
  });

  it('rejects with either body shape, lists with status/limit/offset, keeps non-object context', async () => {
    const apiKey = await server.createKey({ role: 'agent', name: 'bot' });
    const reviewerKey = await server.createKey({ role: 'reviewer', name: 'bob' });
    const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
    const ids: string[] = [];
    for (const context of ['plain text', { n: 1 }, [1, 2]]) {
      const created = await fetch(`${server.url}/api/pause`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ action: 'Send email', context }),
      }).then((r) => r.json() as Promise<{ watchId: string }>);
      ids.push(created.watchId);
    }
    const reject = await fetch(`${server.url}/api/pause/${ids[0]}/approve`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${reviewerKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', reason: 'tone' }),
    }).then((r) => r.json());
    expect(reject).toMatchObject({
      status: 'rejected',
      reason: 'tone',
      agentContext: { context: 'plain text' },
    });
    const list = (await fetch(`${server.url}/api/pause?status=pending&limit=1&offset=1`, {
      headers,
    }).then((r) => r.json())) as {
      pauses: { watchId: string; agentContext: { context: unknown } }[];
    };
    expect(list.pauses.map((pause) => pause.watchId)).toEqual([ids[1]]);
    expect(list.pauses[0]?.agentContext.context).toEqual({ n: 1 });
  });
});

import { CountersignClient } from '@countersign/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import { openSse } from '../test-support/sse.js';
import { MAX_BUFFERED_BYTES } from './sse-sink.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(running: TestServer, key: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${running.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as { id: string; version: number };
}

describe('SSE replay paces itself to the client', () => {
  it('resumes /v1/events from Last-Event-ID 0 over a history larger than the slow-client cut-off', async () => {
    server = await startTestServer();
    const running = server;
    const agent = await running.createKey({ role: 'agent', name: 'bot' });
    const context = { notes: 'n'.repeat(10_000) };
    const count = 600;
    // Well past the cut-off, so only a paced replay gets it all through.
    expect(count * 10_000).toBeGreaterThan(MAX_BUFFERED_BYTES);
    for (let batch = 0; batch < count / 20; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          post(running, agent, 'POST', '/v1/requests', {
            action: `a${batch * 20 + index}`,
            context,
          }),
        ),
      );
    }
    const stream = await openSse(`${running.url}/v1/events`, {
      authorization: `Bearer ${agent}`,
      'last-event-id': '0',
    });
    const ids = new Set<string>();
    for (let index = 0; index < count; index++) {
      const message = await stream.next();
      expect(message.event).toBe('created');
      ids.add(message.id as string);
    }
    expect(ids.size).toBe(count);
    stream.close();
  });

  it('replays one large request with many changes, so a client waiting on it gets the decision', async () => {
    server = await startTestServer();
    const running = server;
    const agent = await running.createKey({ role: 'agent', name: 'bot' });
    const reviewer = await running.createKey({ role: 'reviewer', name: 'alice' });
    let request = await post(running, agent, 'POST', '/v1/requests', {
      action: 'deploy',
      // 300 KB of context, in strings under the server's string length limit.
      context: { diff: ['d'.repeat(150_000), 'd'.repeat(150_000)] },
    });
    for (let change = 0; change < 14; change++) {
      request = await post(running, agent, 'PATCH', `/v1/requests/${request.id}`, {
        expectedVersion: request.version,
        timeout: `${change + 1}h`,
      });
    }
    await post(running, reviewer, 'POST', `/v1/requests/${request.id}/decisions`, {
      outcome: 'approve',
    });

    const stream = await openSse(`${running.url}/v1/requests/${request.id}/events`, {
      authorization: `Bearer ${agent}`,
    });
    const types: string[] = [];
    for (let index = 0; index < 16; index++) types.push((await stream.next()).event as string);
    expect(types).toEqual(['created', ...Array(14).fill('updated'), 'decided']);
    stream.close();

    const client = new CountersignClient({ baseUrl: running.url, apiKey: agent });
    expect((await client.wait(request.id)).status).toBe('approved');
  });
});

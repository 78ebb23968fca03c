import type { ApprovalRequest, RequestEvent } from '@countersign/core/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../auth/api-keys.js';
import { type Clock, ManualClock, systemClock } from '../../clock.js';
import { type RunningServer, startServer } from '../../server.js';
import { waitForListeners } from '../../test/wait-for-listeners.js';
import { dropSchema, openTestPostgresStore, testSchema } from '../../test-support/postgres.js';
import { openSse } from '../../test-support/sse.js';
import type { PostgresStoreOptions } from './postgres-store.js';

interface Replicas {
  a: RunningServer;
  b: RunningServer;
  agent: string;
  reviewer: string;
  admin: string;
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** Two servers on one PostgreSQL schema; `b` may listen differently. */
async function startReplicas(
  clock: Clock,
  bStore: Partial<PostgresStoreOptions> = {},
): Promise<Replicas> {
  const schema = testSchema();
  const storeA = await openTestPostgresStore(schema);
  const storeB = await openTestPostgresStore(schema, bStore);
  const common = { port: 0, clock, scheduler: { pollIntervalMs: 20 } };
  const a = await startServer({ store: storeA, ...common });
  const b = await startServer({ store: storeB, ...common });
  cleanup = async () => {
    await Promise.all([a.close(), b.close()]);
    await dropSchema(schema);
  };
  const key = async (role: 'agent' | 'reviewer' | 'admin', name: string) =>
    (await storeA.transaction((tx) => createApiKey(tx, { role, name }))).key;
  return {
    a,
    b,
    agent: await key('agent', 'bot'),
    reviewer: await key('reviewer', 'alice'),
    admin: await key('admin', 'root'),
  };
}

async function call<T>(
  server: RunningServer,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function wakesWaitersOnTheOtherReplica(replicas: Replicas): Promise<void> {
  const { a, b, agent, reviewer } = replicas;
  const created = await call<ApprovalRequest>(a, agent, 'POST', '/v1/requests', {
    action: 'Deploy',
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const stream = await openSse(`${b.url}/v1/requests/${id}/events`, {
    authorization: `Bearer ${agent}`,
  });
  expect(stream.status).toBe(200);
  expect((await stream.next()).event).toBe('created');
  const waiting = call<ApprovalRequest>(b, agent, 'GET', `/v1/requests/${id}/wait?timeout=10`);
  // The stream and the long-poll each hold one listener on B once they are parked.
  await waitForListeners(b.context.bus, 2, { requestId: id });
  const decided = await call<ApprovalRequest>(a, reviewer, 'POST', `/v1/requests/${id}/decisions`, {
    outcome: 'approve',
    expectedVersion: 1,
  });
  expect(decided.status).toBe(200);
  const live = await stream.next(8000);
  expect(live.event).toBe('decided');
  expect((JSON.parse(live.data) as RequestEvent).request.status).toBe('approved');
  const waited = await waiting;
  expect(waited.body).toMatchObject({ id, status: 'approved', version: 2 });
  stream.close();
}

describe('several replicas on one PostgreSQL database', () => {
  it('wakes a long-poll and an SSE stream on B when A decides (LISTEN/NOTIFY)', async () => {
    // The poll is far slower than the test, so only a notification can wake B in time.
    await wakesWaitersOnTheOtherReplica(
      await startReplicas(systemClock, { pollIntervalMs: 60_000 }),
    );
  });

  it('still wakes them through the slow poll when notifications are off', async () => {
    const replicas = await startReplicas(systemClock, {
      notifications: false,
      pollIntervalMs: 100,
    });
    await wakesWaitersOnTheOtherReplica(replicas);
  });

  it('creates one request when the same Idempotency-Key reaches both replicas at once', async () => {
    const { a, b, agent, admin } = await startReplicas(systemClock);
    for (let round = 0; round < 5; round++) {
      const headers = { 'idempotency-key': `run-1:call-${round}` };
      const body = { action: `Deploy ${round}` };
      const replies = await Promise.all(
        [a, b, a, b].map((server) =>
          call<ApprovalRequest>(server, agent, 'POST', '/v1/requests', body, headers),
        ),
      );
      expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 201]);
      expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
    }
    const list = await call<{ items: unknown[] }>(a, admin, 'GET', '/v1/requests?limit=50');
    expect(list.body.items).toHaveLength(5);
  });

  it('fires each deadline exactly once with both schedulers running, and the chain verifies', async () => {
    const clock = new ManualClock();
    const { a, b, agent, admin } = await startReplicas(clock);
    const ids: string[] = [];
    for (let index = 0; index < 8; index++) {
      const server = index % 2 === 0 ? a : b;
      const created = await call<ApprovalRequest>(server, agent, 'POST', '/v1/requests', {
        action: `Deploy ${index}`,
        timeout: '1h',
      });
      ids.push(created.body.id);
    }
    clock.advance(2 * 60 * 60 * 1000);
    for (const id of ids) {
      for (;;) {
        const current = await call<ApprovalRequest>(b, agent, 'GET', `/v1/requests/${id}`);
        if (current.body.status === 'expired') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    // Run both schedulers twice more, concurrently: nothing may fire twice.
    await Promise.all(
      [a, b].map(async (server) => {
        await server.scheduler.runDue();
        await server.scheduler.runDue();
      }),
    );
    const events = await a.context.store.read((tx) => tx.listEvents(0, undefined, 1000));
    for (const id of ids) {
      const types = events.filter((event) => event.requestId === id).map((event) => event.type);
      expect(types).toEqual(['created', 'expired']);
    }
    const verified = await call<{ ok: boolean; entries: number }>(
      b,
      admin,
      'GET',
      '/v1/audit/verify',
    );
    expect(verified.body).toMatchObject({ ok: true, entries: 16 });
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.js';
import { ManualClock } from '../clock.js';
import { type RunningServer, startServer } from '../server.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store-types.js';
import { dropSchema, openTestPostgresStore, testSchema } from '../test-support/postgres.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const stores: Record<string, () => Promise<Store>> = {
  sqlite: async () => {
    const directory = await mkdtemp(join(tmpdir(), 'countersign-idem-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    return openSqliteStore({ path: join(directory, 'test.db'), synchronous: 'normal' });
  },
  postgres: async () => {
    const schema = testSchema();
    cleanups.push(() => dropSchema(schema));
    return openTestPostgresStore(schema);
  },
};

interface Running {
  server: RunningServer;
  clock: ManualClock;
  /** POSTs a create with the Idempotency-Key; resolves with the status and request id. */
  create(key: string, action?: string): Promise<{ status: number; id: string }>;
  /** Moves the clock and runs the scheduler (jobs and the purge). */
  advance(ms: number): Promise<void>;
}

async function start(backend: string, retentionMs?: number): Promise<Running> {
  const store = await (stores[backend] as () => Promise<Store>)();
  const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
  const server = await startServer({
    store,
    port: 0,
    host: '127.0.0.1',
    clock,
    ...(retentionMs === undefined ? {} : { scheduler: { idempotencyRetentionMs: retentionMs } }),
  });
  cleanups.push(() => server.close());
  const { key: agentKey } = await store.transaction((tx) =>
    createApiKey(tx, { role: 'agent', name: 'bot' }),
  );
  return {
    server,
    clock,
    async create(key, action = 'Deploy') {
      const response = await fetch(`${server.url}/v1/requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${agentKey}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify({ action }),
      });
      return { status: response.status, id: ((await response.json()) as { id: string }).id };
    },
    async advance(ms) {
      clock.advance(ms);
      // A poll that began before the clock moved may be shared by the first call; the second
      // call is a run that surely sees the new time.
      await server.scheduler.runDue();
      await server.scheduler.runDue();
    },
  };
}

describe.each(Object.keys(stores))('idempotency key retention on %s', (backend) => {
  it('replays at 23 h and 6 days, and forgets the key after the default 7 days', async () => {
    const running = await start(backend);
    const first = await running.create('key-1');
    expect(first.status).toBe(201);
    await running.advance(23 * HOUR);
    expect(await running.create('key-1')).toEqual({ status: 200, id: first.id });
    await running.advance(6 * DAY - 23 * HOUR);
    expect(await running.create('key-1')).toEqual({ status: 200, id: first.id });
    await running.advance(DAY + HOUR);
    const again = await running.create('key-1');
    expect(again.status).toBe(201);
    expect(again.id).not.toBe(first.id);
    // The new request's key is kept from its own creation time.
    expect(await running.create('key-1')).toEqual({ status: 200, id: again.id });
  });

  it('honours a shorter retention, never below 24 hours', async () => {
    const running = await start(backend, 2 * DAY);
    const old = await running.create('old');
    await running.advance(DAY + HOUR);
    const young = await running.create('young');
    expect(await running.create('old')).toEqual({ status: 200, id: old.id });
    await running.advance(DAY);
    const recreated = await running.create('old');
    expect(recreated.status).toBe(201);
    expect(recreated.id).not.toBe(old.id);
    expect(await running.create('young')).toEqual({ status: 200, id: young.id });
  });
});

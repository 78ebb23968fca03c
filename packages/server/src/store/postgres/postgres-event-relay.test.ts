import { afterEach, describe, expect, it } from 'vitest';
import { dropSchema, openTestPostgresStore, testSchema } from '../../test-support/postgres.js';
import type { PostgresStore } from './postgres-store.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** Records, per store, the ids it announces: its own after commit, the other's through `listen`. */
function observe(store: PostgresStore, seen: number[]): void {
  store.listen((event) => seen.push(Number(event.id)));
}

async function append(store: PostgresStore, seen: number[], requestId: string): Promise<void> {
  await store.transaction(async (tx) => {
    const event = await tx.appendEvent({
      requestId,
      seq: 1,
      type: 'created',
      at: '2026-01-01T00:00:00.000Z',
      version: 1,
      data: {},
      request: {} as never,
    });
    tx.afterCommit(() => seen.push(Number(event.id)));
  });
}

describe('PostgreSQL event relay', () => {
  it('announces every event once and in id order on each replica while both write concurrently', async () => {
    const schema = testSchema();
    const a = await openTestPostgresStore(schema, { pollIntervalMs: 50 });
    const b = await openTestPostgresStore(schema, { pollIntervalMs: 50 });
    cleanup = async () => {
      await Promise.all([a.close(), b.close()]);
      await dropSchema(schema);
    };
    const seenA: number[] = [];
    const seenB: number[] = [];
    observe(a, seenA);
    observe(b, seenB);
    const total = 40;
    await Promise.all(
      Array.from({ length: total }, (_, index) =>
        index % 2 === 0 ? append(a, seenA, `r${index}`) : append(b, seenB, `r${index}`),
      ),
    );
    for (let tries = 0; tries < 200 && (seenA.length < total || seenB.length < total); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const expected = Array.from({ length: total }, (_, index) => index + 1);
    expect(seenA).toEqual(expected);
    expect(seenB).toEqual(expected);
  });

  it('announces nothing from a rolled-back transaction and reuses its id', async () => {
    const schema = testSchema();
    const a = await openTestPostgresStore(schema);
    const b = await openTestPostgresStore(schema);
    cleanup = async () => {
      await Promise.all([a.close(), b.close()]);
      await dropSchema(schema);
    };
    const seenB: number[] = [];
    observe(b, seenB);
    await expect(
      a.transaction(async (tx) => {
        await tx.appendEvent({
          requestId: 'gone',
          seq: 1,
          type: 'created',
          at: '2026-01-01T00:00:00.000Z',
          version: 1,
          data: {},
          request: {} as never,
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await append(a, [], 'kept');
    for (let tries = 0; tries < 200 && seenB.length < 1; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seenB).toEqual([1]);
    const events = await b.read((tx) => tx.listEvents(0, undefined, 10));
    expect(events.map((event) => event.requestId)).toEqual(['kept']);
  });
});

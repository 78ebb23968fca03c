import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleRequest } from '../test-support/store-contract.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store-types.js';

/** Log syncs that wait until the test finishes them. */
function heldSyncs() {
  const finishers: (() => void)[] = [];
  let asked: () => void = () => undefined;
  return {
    finishers,
    syncFile: () =>
      new Promise<void>((resolve) => {
        finishers.push(resolve);
        asked();
      }),
    async asked(count: number) {
      while (finishers.length < count) await new Promise<void>((resolve) => (asked = resolve));
    },
  };
}

describe('SQLite: a background read that waits for a sync', () => {
  let dir = '';
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    { background: true, order: ['waiter answered', 'read'] },
    // Without the option a read resumes among the commit's own callers, as before.
    { background: false, order: ['read', 'waiter answered'] },
  ])('resumes after the commit’s own callers: background $background', async (scenario) => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-background-read-'));
    const syncs = heldSyncs();
    const opened = openSqliteStore({
      path: join(dir, 'test.db'),
      syncFile: syncs.syncFile,
      groupCommit: { maxWaitMs: 0 },
    });
    store = opened;
    const order: string[] = [];
    // A waiter woken by the commit answers a few steps on, like a long-poll's response.
    const change = opened.transaction(async (tx) => {
      await tx.insertRequest(sampleRequest('req_decided'));
      tx.afterCommit(() => {
        void (async () => {
          for (let step = 0; step < 5; step++) await Promise.resolve();
          order.push('waiter answered');
        })();
      });
    });
    await syncs.asked(1);
    // Delivery work reads while the change's sync runs, and waits for it.
    const read = opened
      .read((tx) => tx.getRequest('req_decided'), { background: scenario.background })
      .then((request) => {
        order.push('read');
        return request;
      });
    // The read has run and waits for the sync.
    await new Promise((resolve) => setImmediate(resolve));
    for (const finish of syncs.finishers) finish();
    await change;
    expect((await read)?.id).toBe('req_decided');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(scenario.order);
  });
});

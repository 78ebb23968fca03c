import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleRequest } from '../test-support/store-contract.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store-types.js';

/** A log sync the test finishes by hand: each call waits in `calls` until resolved or failed. */
function heldSyncs() {
  const calls: { path: string; finish: () => void; fail: (error: Error) => void }[] = [];
  let called: () => void = () => undefined;
  return {
    calls,
    syncFile: (path: string) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ path, finish: resolve, fail: reject });
        called();
      }),
    /** Resolves once `count` syncs have been asked for. */
    async asked(count: number) {
      while (calls.length < count) await new Promise<void>((resolve) => (called = resolve));
    },
  };
}

/** Settles with the outcome of `promise`, readable at any time without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const state: { settled: 'no' | 'resolved' | 'rejected'; error?: unknown } = { settled: 'no' };
  promise.then(
    () => (state.settled = 'resolved'),
    (error) => Object.assign(state, { settled: 'rejected', error }),
  );
  return state;
}

const turns = async (count: number) => {
  for (let index = 0; index < count; index++) await new Promise((r) => setImmediate(r));
};

describe('SQLite: a commit counts once its log is synced', () => {
  let dir = '';
  let store: Store | undefined;
  let observer: DatabaseSync | undefined;
  afterEach(async () => {
    observer?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = (syncFile: (path: string) => Promise<void>) => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-wal-sync-'));
    const path = join(dir, 'test.db');
    store = openSqliteStore({ path, syncFile, groupCommit: { maxWaitMs: 0 } });
    const reader = new DatabaseSync(path, { readOnly: true });
    observer = reader;
    // Counts the committed requests through another connection, outside the store.
    const committed = () =>
      Number((reader.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n);
    return { store, path, committed };
  };

  it('acknowledges a batch, runs its callbacks and shows it to reads only after the sync', async () => {
    const syncs = heldSyncs();
    const { store, path, committed } = open(syncs.syncFile);
    const published: string[] = [];
    const create = (id: string) =>
      store.transaction(async (tx) => {
        await tx.insertRequest(sampleRequest(id));
        tx.afterCommit(() => published.push(id));
      });
    const first = watch(create('req_a'));
    await syncs.asked(1);
    expect(syncs.calls[0]?.path).toBe(`${path}-wal`);
    // Committed (another connection sees it) but neither acknowledged, published nor readable.
    expect(committed()).toBe(1);
    const read = watch(store.read((tx) => tx.getRequest('req_a')));
    // A read that only checks (authentication) may see it at once.
    expect(await store.read((tx) => tx.getRequest('req_a'), { unsynced: true })).toBeDefined();
    // The other read has run (it saw req_a) and now waits for the sync of what it saw.
    await turns(1);
    // Changes that come in meanwhile commit in the next batch, and wait for a sync that starts
    // after theirs.
    const second = watch(create('req_b'));
    const third = watch(create('req_c'));
    while (committed() < 3) await turns(1);
    await turns(5);
    expect([first.settled, read.settled, second.settled, third.settled]).toEqual([
      'no',
      'no',
      'no',
      'no',
    ]);
    expect(published).toEqual([]);
    expect(syncs.calls).toHaveLength(1);

    syncs.calls[0]?.finish();
    await syncs.asked(2);
    await turns(5);
    expect([first.settled, read.settled]).toEqual(['resolved', 'resolved']);
    expect([second.settled, third.settled]).toEqual(['no', 'no']);
    expect(published).toEqual(['req_a']);

    syncs.calls[1]?.finish();
    await turns(5);
    expect([second.settled, third.settled]).toEqual(['resolved', 'resolved']);
    expect(published).toEqual(['req_a', 'req_b', 'req_c']);
    expect(syncs.calls).toHaveLength(2);
  });

  it('starts no sync for a batch that changed nothing, but acknowledges it after the syncs before it', async () => {
    const syncs = heldSyncs();
    const { store } = open(syncs.syncFile);
    const first = watch(store.transaction((tx) => tx.insertRequest(sampleRequest('req_a'))));
    await syncs.asked(1);
    // A claim that finds nothing due: it read what the unsynced commit wrote.
    const claim = watch(store.transaction((tx) => tx.getRequest('req_a')));
    await turns(5);
    expect([first.settled, claim.settled]).toEqual(['no', 'no']);
    syncs.calls[0]?.finish();
    await turns(5);
    expect([first.settled, claim.settled]).toEqual(['resolved', 'resolved']);
    // Nothing was left to sync: the next change's sync is the only other one.
    const second = watch(store.transaction((tx) => tx.insertRequest(sampleRequest('req_b'))));
    await syncs.asked(2);
    syncs.calls[1]?.finish();
    await turns(5);
    expect(second.settled).toBe('resolved');
    expect(syncs.calls).toHaveLength(2);
  });

  it('fails the batch whose sync fails, and refuses every write after it', async () => {
    const syncs = heldSyncs();
    const { store, committed } = open(syncs.syncFile);
    const published: string[] = [];
    const first = store.transaction(async (tx) => {
      await tx.insertRequest(sampleRequest('req_a'));
      tx.afterCommit(() => published.push('req_a'));
    });
    await syncs.asked(1);
    syncs.calls[0]?.fail(new Error('EIO: i/o error, fdatasync'));
    await expect(first).rejects.toThrow('EIO');
    expect(published).toEqual([]);
    expect(await store.ping()).toBe(false);
    await expect(
      store.transaction((tx) => tx.insertRequest(sampleRequest('req_b'))),
    ).rejects.toThrow('EIO');
    expect(syncs.calls).toHaveLength(1);
    expect(committed()).toBe(1);
  });
});

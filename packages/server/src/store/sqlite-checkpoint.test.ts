import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleRequest } from '../test-support/store-contract.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'countersign-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite: checkpoints off the event loop', () => {
  it('keeps the write-ahead log short while commits keep coming, and loses nothing', async () => {
    const path = join(dir, 'test.db');
    const store = openSqliteStore({ path, groupCommit: { maxWaitMs: 0 } });
    const context = { padding: 'x'.repeat(8000) };
    const total = 3000;
    let largestLog = 0;
    for (let index = 0; index < total; index++) {
      await store.transaction((tx) => tx.insertRequest(sampleRequest(`req_${index}`, { context })));
      largestLog = Math.max(largestLog, statSync(`${path}-wal`).size);
    }
    await store.close();
    // Each commit writes at least 3 pages (two overflow pages of the context and a leaf): unchecked,
    // the log would grow past 9,000 pages (37 MB).
    expect(largestLog).toBeLessThan(16 * 1024 * 1024);
    const reopened = openSqliteStore({ path });
    const page = await reopened.read((tx) =>
      tx.listRequests({ visibility: { all: true }, limit: total + 1 }),
    );
    await reopened.close();
    expect(page.items).toHaveLength(total);
  });
});

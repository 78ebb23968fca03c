import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describeGroupCommitContract } from '../test-support/group-commit-contract.js';
import { openSqliteStore } from './sqlite-store.js';

describeGroupCommitContract('SQLite', async (groupCommit) => {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-group-commit-'));
  const path = join(dir, 'test.db');
  const store = openSqliteStore({ path, groupCommit });
  // A second connection sees only what the store's connection committed.
  const observer = new DatabaseSync(path, { readOnly: true });
  return {
    store,
    async committedRequests() {
      return Number(
        (observer.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n,
      );
    },
    async dispose() {
      observer.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

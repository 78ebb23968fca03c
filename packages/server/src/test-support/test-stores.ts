import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../store/sqlite-store.js';
import { freshPostgresStore } from './postgres.js';
import type { StoreFactory } from './store-contract.js';

/**
 * A fresh store of each database, for `describe.each(TEST_STORES)`: a SQLite file in a temporary
 * folder, and a new schema of the PostgreSQL test database; `dispose` removes either.
 */
export const TEST_STORES: readonly [string, StoreFactory][] = [
  [
    'SQLite',
    async () => {
      const directory = mkdtempSync(join(tmpdir(), 'countersign-store-'));
      const store = openSqliteStore({ path: join(directory, 'test.db') });
      return {
        store,
        async dispose() {
          await store.close();
          rmSync(directory, { recursive: true, force: true });
        },
      };
    },
  ],
  ['PostgreSQL', freshPostgresStore],
];

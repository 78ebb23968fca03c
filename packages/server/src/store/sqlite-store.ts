import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { storeMethods } from './sql/store-methods.js';
import { migrate } from './sqlite-migrations.js';
import { SqliteSession } from './sqlite-session.js';
import type { Store, StoreTx } from './store-types.js';

/** Options for {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Path of the database file (created with its folder if missing), or `:memory:`. */
  path: string;
  /**
   * `full` (default) syncs every commit to disk; `normal` survives a process crash but may lose
   * the last commits on power loss.
   */
  synchronous?: 'full' | 'normal';
}

/**
 * Opens (creating and migrating if needed) a SQLite store in WAL mode. One connection; transactions
 * are queued so each runs alone, and each state change commits with its audit entry and outbox rows.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new DatabaseSync(options.path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA foreign_keys = ON');
  migrate(db);
  const prepared = new Map<string, StatementSync>();
  const writing = storeMethods(new SqliteSession(db, prepared, true));
  const reading = storeMethods(new SqliteSession(db, prepared, false));
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error('The store is closed'));
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  }

  // One shared object for reads: they register no callbacks, and waiters read often.
  const readTx: StoreTx = {
    ...reading,
    afterCommit: () => {
      throw new Error('read() cannot register afterCommit callbacks');
    },
  };

  function txFor(callbacks: (() => void)[]): StoreTx {
    return { ...writing, afterCommit: (callback) => callbacks.push(callback) };
  }

  return {
    transaction(fn) {
      return enqueue(async () => {
        const callbacks: (() => void)[] = [];
        db.exec('BEGIN IMMEDIATE');
        let result: Awaited<ReturnType<typeof fn>>;
        try {
          result = await fn(txFor(callbacks));
          db.exec('COMMIT');
        } catch (error) {
          if (db.isTransaction) db.exec('ROLLBACK');
          throw error;
        }
        for (const callback of callbacks) callback();
        return result;
      });
    },
    read(fn) {
      return enqueue(() => fn(readTx));
    },
    async ping() {
      if (closed) return false;
      try {
        db.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      await enqueue(async () => undefined);
      closed = true;
      db.close();
    },
  };
}

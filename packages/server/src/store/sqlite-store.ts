import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { type BatchTransaction, GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { storeMethods } from './sql/store-methods.js';
import { migrate } from './sqlite-migrations.js';
import { SqliteSession } from './sqlite-session.js';
import type { Store, StoreTx } from './store-types.js';

/** Options for {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Path of the database file (created with its folder if missing), or `:memory:`. */
  path: string;
  /**
   * `full` (default) syncs every commit (one per batch of concurrent transactions) to disk;
   * `normal` survives a process crash but may lose the last commits on power loss.
   */
  synchronous?: 'full' | 'normal';
  /** How many concurrent changes share one commit, and how long a batch may stay open. */
  groupCommit?: GroupCommitOptions;
}

/**
 * Opens (creating and migrating if needed) a SQLite store in WAL mode. One writing connection, on
 * which batches of transactions run one at a time, and one for reads. Transactions that arrive while one runs
 * share its commit (and its fsync), each in its own savepoint, so each state change still commits
 * with its audit entry and outbox rows, and fails alone.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new DatabaseSync(options.path);
  db.exec('PRAGMA journal_mode = WAL');
  // FULL: COMMIT returns once the WAL is synced, so whatever a read can see is already durable.
  db.exec(`PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA foreign_keys = ON');
  migrate(db);
  // From here on a busy database is waited for at BEGIN, asynchronously (see `beginImmediate`):
  // SQLite's own busy handler would block this process's event loop, and with it whatever holds
  // the lock in this process (an offline CLI command beside a server in one test process, say).
  db.exec('PRAGMA busy_timeout = 0');
  const prepared = new Map<string, StatementSync>();
  const writing = storeMethods(new SqliteSession(db, prepared, true));
  // Reads run on a connection of their own, each in a read transaction: they never wait behind an
  // open batch and never see its uncommitted changes (WAL serves them the last commit meanwhile).
  // `:memory:` is one database per connection, so there reads share the queue with the batches.
  const readerDb =
    options.path === ':memory:' ? db : new DatabaseSync(options.path, { readOnly: true });
  if (readerDb !== db) readerDb.exec('PRAGMA busy_timeout = 5000');
  const reading = storeMethods(
    new SqliteSession(readerDb, readerDb === db ? prepared : new Map(), false),
  );
  let queue: Promise<unknown> = Promise.resolve();
  let readQueue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error('The store is closed'));
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  }

  function enqueueRead<T>(work: () => Promise<T>): Promise<T> {
    if (readerDb === db) return enqueue(work);
    if (closed) return Promise.reject(new Error('The store is closed'));
    const consistent = async () => {
      readerDb.exec('BEGIN');
      try {
        return await work();
      } finally {
        readerDb.exec('COMMIT');
      }
    };
    const result = readQueue.then(consistent, consistent);
    readQueue = result.catch(() => undefined);
    return result;
  }

  // One shared object for reads: they register no callbacks, and waiters read often.
  const readTx: StoreTx = {
    ...reading,
    afterCommit: () => {
      throw new Error('read() cannot register afterCommit callbacks');
    },
  };

  const control = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    statement.run();
  };
  const batch: BatchTransaction = {
    tx: (callbacks) => ({ ...writing, afterCommit: (callback) => callbacks.push(callback) }),
    async open() {
      await beginImmediate(db);
    },
    async mark() {
      control('SAVEPOINT change');
    },
    async keep() {
      control('RELEASE change');
    },
    async undo() {
      // Some errors (a full disk, for one) end the whole transaction, savepoints and all.
      if (!db.isTransaction) return false;
      control('ROLLBACK TO change');
      control('RELEASE change');
      return true;
    },
    async commit() {
      db.exec('COMMIT');
    },
    async durable(callbacks) {
      // COMMIT under synchronous=FULL has already synced the WAL.
      for (const callback of callbacks) callback();
    },
    async rollback() {
      if (db.isTransaction) db.exec('ROLLBACK');
    },
  };
  const groupCommit = new GroupCommit((run) => {
    enqueue(() => run(batch)).catch(() => undefined);
  }, options.groupCommit);

  return {
    transaction(fn) {
      if (closed) return Promise.reject(new Error('The store is closed'));
      return groupCommit.run(fn);
    },
    read(fn) {
      return enqueueRead(() => fn(readTx));
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
      await groupCommit.whenIdle();
      await Promise.all([enqueue(async () => undefined), enqueueRead(async () => undefined)]);
      closed = true;
      if (readerDb !== db) readerDb.close();
      db.close();
    },
  };
}

/** How long a batch waits for another connection's write lock before it fails. */
const BUSY_WAIT_MS = 5000;

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | undefined)?.errcode;
  // SQLITE_BUSY, and its extended codes (SQLITE_BUSY_SNAPSHOT and the like).
  return typeof code === 'number' && (code & 0xff) === 5;
}

/** `BEGIN IMMEDIATE`, retried with short async pauses while another connection writes. */
async function beginImmediate(db: DatabaseSync): Promise<void> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      db.exec('BEGIN IMMEDIATE');
      return;
    } catch (error) {
      if (!isBusy(error) || performance.now() - started >= BUSY_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1 + attempt, 20)));
    }
  }
}

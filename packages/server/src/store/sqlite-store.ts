import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { type BatchTransaction, GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { storeMethods } from './sql/store-methods.js';
import { beginImmediate } from './sqlite-begin.js';
import { migrate } from './sqlite-migrations.js';
import { type SqliteCheckpoint, SqliteSession } from './sqlite-session.js';
import type { Store, StoreTx } from './store-types.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { fsyncDirectory, keptDatasync, type SyncFile, WalSync } from './wal-sync.js';

/** Options for {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Path of the database file (created with its folder if missing), or `:memory:`. */
  path: string;
  /**
   * `full` (default) acknowledges a commit (one per batch of concurrent transactions), and lets
   * reads show it, only once it is synced to disk; `normal` survives a process crash but may lose
   * the last commits on power loss.
   */
  synchronous?: 'full' | 'normal';
  /** How many concurrent changes share one commit, and how long a batch may stay open. */
  groupCommit?: GroupCommitOptions;
  /**
   * How `full` flushes the write-ahead log after a commit (default: `fdatasync` on the thread
   * pool). Tests pass their own to hold a sync back.
   */
  syncFile?: SyncFile;
}

/**
 * Opens (creating and migrating if needed) a SQLite store in WAL mode. One writing connection, on
 * which batches of transactions run one at a time, and one for reads. Transactions that arrive while one runs
 * share its commit (and its fsync), each in its own savepoint, so each state change still commits
 * with its audit entry and outbox rows, and fails alone. The event loop never waits for the disk:
 * the log is synced on the thread pool ({@link WalSync}) and checkpointed in a worker thread
 * ({@link WalCheckpointer}).
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new DatabaseSync(options.path);
  const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string };
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA foreign_keys = ON');
  migrate(db);
  const wal = mode.journal_mode === 'wal' && options.path !== ':memory:';
  // The log's handle for the default sync, closed with the store.
  const datasync = keptDatasync();
  const walSync = syncedLog(db, options, wal, options.syncFile ?? datasync.sync);
  const checkpointer = wal ? new WalCheckpointer(db, options.path) : undefined;
  // From here on a busy database is waited for at BEGIN, asynchronously (see `beginImmediate`):
  // SQLite's own busy handler would block this process's event loop, and with it whatever holds
  // the lock in this process (an offline CLI command beside a server in one test process, say).
  db.exec('PRAGMA busy_timeout = 0');
  const prepared = new Map<string, StatementSync>();
  const writer = new SqliteSession(db, prepared, true);
  const writing = storeMethods(writer);
  // Reads run on a connection of their own, each in a read transaction: they never wait behind an
  // open batch and never see its uncommitted changes (WAL serves them the last commit meanwhile).
  // `:memory:` is one database per connection, so there reads share the queue with the batches.
  const readerDb =
    options.path === ':memory:' ? db : new DatabaseSync(options.path, { readOnly: true });
  if (readerDb !== db) readerDb.exec('PRAGMA busy_timeout = 5000');
  const reading = storeMethods(
    new SqliteSession(readerDb, readerDb === db ? prepared : new Map(), false),
  );
  // Prepared once: `exec` would parse them again for every read (waiters and sign-ins read often).
  const beginRead = readerDb.prepare('BEGIN');
  const endRead = readerDb.prepare('COMMIT');
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
      beginRead.run();
      try {
        return await work();
      } finally {
        endRead.run();
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

  // One per commit whose log sync is outstanding, in commit order (`durable` follows `commit`).
  const syncs: Promise<void>[] = [];
  const statement = (sql: string) => {
    let found = prepared.get(sql);
    if (!found) {
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  };
  const control = (sql: string) => statement(sql).run();
  // Rows the writer changed since it opened (`total_changes()`, which counts every INSERT, UPDATE
  // and DELETE, rolled back or not): a batch that changed none wrote nothing to the log to sync.
  const changedRows = () =>
    Number((statement('SELECT total_changes() AS n').get() as { n: number | bigint }).n);
  let changedAtOpen = 0;
  let checkpoint: SqliteCheckpoint = { head: undefined };
  const batch: BatchTransaction = {
    // The methods are shared, not copied for each change: only `afterCommit` is the change's own.
    tx: (callbacks) =>
      Object.create(writing, {
        afterCommit: { value: (callback: () => void) => callbacks.push(callback) },
      }) as StoreTx,
    async open() {
      // After a failed sync nothing more is written: it could never be acknowledged.
      if (walSync?.failure !== undefined) throw walSync.failure;
      await beginImmediate(db);
      changedAtOpen = changedRows();
      writer.beginBatch();
    },
    async mark() {
      control('SAVEPOINT change');
      checkpoint = writer.checkpoint();
    },
    async keep() {
      control('RELEASE change');
    },
    async undo() {
      // Some errors (a full disk, for one) end the whole transaction, savepoints and all.
      if (!db.isTransaction) return false;
      control('ROLLBACK TO change');
      control('RELEASE change');
      writer.rewind(checkpoint);
      return true;
    },
    async commit() {
      writer.endBatch();
      control('COMMIT');
      if (walSync) {
        // A batch that only read (a claim that found nothing due) waits for the syncs before it,
        // since it may have read their commits, but starts none: the next user change's commit
        // would queue behind it.
        const synced = changedRows() === changedAtOpen ? walSync.drained() : walSync.request();
        // Awaited in `durable`; a failure there fails the batch, not the process.
        synced.catch(() => undefined);
        syncs.push(synced);
      }
      checkpointer?.committed();
    },
    async durable(callbacks) {
      // Acknowledged (and published to waiters) only once the commit is on disk.
      await syncs.shift();
      for (const callback of callbacks) callback();
    },
    async rollback() {
      writer.endBatch();
      if (db.isTransaction) db.exec('ROLLBACK');
    },
  };
  const groupCommit = new GroupCommit((run) => {
    enqueue(() => run(batch)).catch(() => undefined);
  }, options.groupCommit);

  return {
    transaction(fn, options) {
      if (closed) return Promise.reject(new Error('The store is closed'));
      return groupCommit.run(fn, options);
    },
    async read(fn, readOptions) {
      const result = await enqueueRead(() => fn(readTx));
      // What a read saw may include a commit whose sync is still running: it answers once that is
      // on disk, so nobody acts on a change a power loss could still take back.
      if (walSync && !readOptions?.unsynced) await walSync.drained();
      // Resolved with the callers of the commit it waited for, it would run ahead of most of them.
      if (readOptions?.background) await new Promise((resolve) => setImmediate(resolve));
      return result;
    },
    async ping() {
      if (closed || walSync?.failure !== undefined) return false;
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
      await checkpointer?.close();
      await datasync.close();
      if (readerDb !== db) readerDb.close();
      db.close();
    },
  };
}

/**
 * Sets the writer's `synchronous` level; returns the log to sync after each commit when `full`
 * is kept that way (WAL on a file), or nothing when COMMIT itself is as durable as asked.
 */
function syncedLog(
  db: DatabaseSync,
  options: SqliteStoreOptions,
  wal: boolean,
  syncFile: SyncFile,
): WalSync | undefined {
  if (options.synchronous === 'normal') {
    // Survives a process crash; the last commits may be lost on power loss.
    db.exec('PRAGMA synchronous = NORMAL');
    return undefined;
  }
  if (!wal) {
    db.exec('PRAGMA synchronous = FULL');
    return undefined;
  }
  // NORMAL leaves the sync of each commit to WalSync; checkpoints still sync the log before they
  // copy it into the database file, and sync the database file after.
  db.exec('PRAGMA synchronous = NORMAL');
  // FULL would also sync the folder on the log's first sync, so the newly created log is found.
  fsyncDirectory(dirname(options.path));
  return new WalSync(`${options.path}-wal`, syncFile);
}

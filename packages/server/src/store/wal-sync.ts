import { closeSync, fsyncSync, openSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** Flushes a file's written data to disk; resolves once it is there. */
export type SyncFile = (path: string) => Promise<void>;

/** A {@link SyncFile} that keeps what it opened until `close()`. */
export interface KeptSyncFile {
  sync: SyncFile;
  close(): Promise<void>;
}

/**
 * `fdatasync` on the libuv thread pool (the event loop goes on serving requests meanwhile),
 * through one handle opened at the first sync and kept: an open and a close for every commit
 * cost more CPU than the sync asks of this thread. SQLite rewinds and truncates the log in place
 * and deletes it only when its last connection closes, after the store's last sync, so the handle
 * stays on the file it writes.
 */
export function keptDatasync(): KeptSyncFile {
  let handle: Promise<FileHandle> | undefined;
  return {
    async sync(path) {
      let opened = handle;
      if (!opened) {
        const opening = open(path, 'r');
        opened = handle = opening;
        // A failed open fails this sync; the next one opens again.
        opening.catch(() => {
          if (handle === opening) handle = undefined;
        });
      }
      await (await opened).datasync();
    },
    async close() {
      const opened = handle;
      handle = undefined;
      await (await opened?.catch(() => undefined))?.close();
    },
  };
}

/** `fsync` of a directory, so a file just created in it is found after a power loss. */
export function fsyncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Syncs a SQLite write-ahead log off the event loop. COMMIT runs with `synchronous=NORMAL` (it
 * writes the log but does not wait for the disk), then `request()` asks for an `fdatasync` of the
 * log, and the commit counts as durable once that resolves: what FULL does inside COMMIT, without
 * blocking the one thread that also parses and answers requests. A sync covers every write made to
 * the file before it starts, so the commits that come in while one runs share the next.
 *
 * A failed sync poisons the log for good: after an I/O error the kernel may drop the unwritten
 * pages and report the next sync as a success, so no later commit may count as durable either.
 */
export class WalSync {
  readonly #path: string;
  readonly #syncFile: SyncFile;
  #requested = 0;
  #synced = 0;
  #running = false;
  #failure: { error: unknown } | undefined;
  readonly #waiting: { ticket: number; resolve: () => void; reject: (error: unknown) => void }[] =
    [];

  constructor(path: string, syncFile: SyncFile) {
    this.#path = path;
    this.#syncFile = syncFile;
  }

  /** The error that poisoned the log, if a sync failed. */
  get failure(): unknown {
    return this.#failure?.error;
  }

  /** Resolves once everything written to the log before this call is on disk. */
  request(): Promise<void> {
    this.#requested++;
    return this.drained();
  }

  /** Resolves once every request made so far is on disk: at once when none is outstanding. */
  drained(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure.error);
    const ticket = this.#requested;
    if (ticket <= this.#synced) return Promise.resolve();
    const settled = new Promise<void>((resolve, reject) => {
      this.#waiting.push({ ticket, resolve, reject });
    });
    this.#next();
    return settled;
  }

  #next(): void {
    if (this.#running || this.#failure || this.#requested <= this.#synced) return;
    this.#running = true;
    const target = this.#requested;
    this.#syncFile(this.#path).then(
      () => {
        this.#running = false;
        this.#synced = target;
        // In ticket order: commits are acknowledged (and their events published) in commit order.
        while ((this.#waiting[0]?.ticket ?? Number.POSITIVE_INFINITY) <= target) {
          this.#waiting.shift()?.resolve();
        }
        this.#next();
      },
      (error: unknown) => {
        this.#running = false;
        this.#failure = { error };
        for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
      },
    );
  }
}

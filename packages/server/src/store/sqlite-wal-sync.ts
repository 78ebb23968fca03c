import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Makes commits durable off the event loop: the connection commits with `synchronous = NORMAL`
 * (WAL frames written, not yet synced), and a batch is acknowledged only once an fdatasync of the
 * WAL file that began after its COMMIT has finished, which is what `synchronous = FULL` does inside
 * COMMIT. Calls made while a sync runs share the next one, so batches become durable in order.
 */
export function walSyncer(databasePath: string): { sync(): Promise<void>; close(): Promise<void> } {
  const wal = `${databasePath}-wal`;
  // The WAL file was just created: make its directory entry durable too, once.
  const directory = openSync(dirname(databasePath), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  // Opened once (the WAL exists from the first write until the last connection closes).
  let handle: ReturnType<typeof open> | undefined;
  const syncOnce = async () => {
    handle ??= open(wal, 'r');
    await (await handle).datasync();
  };
  const sync = (): Promise<void> => {
    if (!running) {
      running = syncOnce().finally(() => {
        running = undefined;
      });
      return running;
    }
    const next = () => {
      queued = undefined;
      return sync();
    };
    queued ??= running.then(next, next);
    return queued;
  };
  return {
    sync,
    async close() {
      await running;
      await queued;
      await (await handle)?.close();
    },
  };
}

// Checkpoints a SQLite write-ahead log on a connection of its own, in a worker thread: the copy of
// the log into the database file and its two syncs never block the server's event loop.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/** What the store tells the worker when it starts. */
export interface CheckpointWorkerData {
  path: string;
  /** Pages in the log from which the checkpoint also rewinds it (RESTART), so it stops growing. */
  restartPages: number;
}

/** The worker's answer to each `checkpoint` message. */
export type CheckpointAnswer = { done: true; log: number } | { done: false; error: string };

const { path, restartPages } = workerData as CheckpointWorkerData;
const db = new DatabaseSync(path);
// The syncs a checkpoint needs (the log before copying it, the database file after).
db.exec('PRAGMA synchronous = FULL');
// RESTART waits here, in this thread, for the writer's open batch and for readers of the log.
db.exec('PRAGMA busy_timeout = 5000');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');

type Result = { busy: number; log: number; checkpointed: number };

parentPort?.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  try {
    // Most of the work, while the server goes on writing: copies what is in the log now.
    let result = passive.get() as Result;
    // Then the rest, holding new writers back only for that, so the next one starts the log over.
    if (result.log >= restartPages) result = restart.get() as Result;
    parentPort?.postMessage({ done: true, log: result.log } satisfies CheckpointAnswer);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    parentPort?.postMessage({ done: false, error: text } satisfies CheckpointAnswer);
  }
});

import { once } from 'node:events';
import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { workerFileBeside } from '../worker-file.js';
import type { CheckpointAnswer, CheckpointWorkerData } from './wal-checkpoint-worker.js';

/** SQLite's own automatic checkpoint size, in pages; the writer falls back to it. */
const AUTOCHECKPOINT_PAGES = 1000;
/** Commits before the worker starts: a store that barely writes never pays for a thread. */
const START_AFTER_COMMITS = 100;
/** Shortest time between two checkpoints while the log grows. */
const INTERVAL_MS = 100;

/**
 * Keeps a busy store's write-ahead log short from a worker thread. SQLite would checkpoint inside
 * the COMMIT that pushes the log past 1,000 pages, on the event loop: copying the log into the
 * database file and syncing both stalls every request for milliseconds. Here the writer's
 * automatic checkpoints are off while the worker runs; if it fails or dies they come back on.
 */
export class WalCheckpointer {
  readonly #writer: DatabaseSync;
  readonly #path: string;
  #worker: Worker | undefined;
  #commits = 0;
  #busy = false;
  #dirty = false;
  #failed = false;
  #lastStart = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(writer: DatabaseSync, path: string) {
    this.#writer = writer;
    this.#path = path;
  }

  /** Tells the checkpointer that a commit grew the log; cheap, and never blocks. */
  committed(): void {
    this.#commits++;
    if (this.#failed) return;
    if (!this.#worker) {
      if (this.#commits < START_AFTER_COMMITS) return;
      this.#start();
    }
    this.#dirty = true;
    this.#kick();
  }

  #kick(): void {
    const worker = this.#worker;
    if (!worker || this.#busy || this.#timer || !this.#dirty) return;
    const wait = this.#lastStart + INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#kick();
      }, wait);
      this.#timer.unref();
      return;
    }
    this.#dirty = false;
    this.#busy = true;
    this.#lastStart = performance.now();
    worker.postMessage('checkpoint');
  }

  #start(): void {
    const workerData: CheckpointWorkerData = {
      path: this.#path,
      restartPages: AUTOCHECKPOINT_PAGES,
    };
    const worker = new Worker(workerFileBeside(import.meta.url, 'wal-checkpoint-worker'), {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: 16 },
    });
    worker.unref();
    worker.on('message', (answer: CheckpointAnswer) => {
      if (!answer.done) return this.#fallBack(worker);
      this.#busy = false;
      this.#kick();
    });
    worker.on('error', () => this.#fallBack(worker));
    worker.on('exit', () => this.#fallBack(worker));
    this.#worker = worker;
    this.#writer.exec('PRAGMA wal_autocheckpoint = 0');
  }

  /** The worker failed: the writer checkpoints on its own again, as SQLite does by default. */
  #fallBack(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#failed = true;
    clearTimeout(this.#timer);
    if (this.#writer.isOpen) {
      this.#writer.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    }
    void worker.terminate();
  }

  /** Stops the worker (after the checkpoint it may be running); the store closes after this. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    const worker = this.#worker;
    if (!worker) return;
    this.#worker = undefined;
    this.#failed = true;
    const exited = once(worker, 'exit');
    // Referenced until it exits: an idle (unreferenced) worker would let a process whose server
    // has closed end before the 'exit' event, with this close unsettled (exit code 13).
    worker.ref();
    worker.postMessage('close');
    await exited;
  }
}

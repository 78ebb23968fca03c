import type { DatabaseSync } from 'node:sqlite';

/** How long a batch waits for another connection's write lock before it fails. */
const BUSY_WAIT_MS = 5000;

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | undefined)?.errcode;
  // SQLITE_BUSY, and its extended codes (SQLITE_BUSY_SNAPSHOT and the like).
  return typeof code === 'number' && (code & 0xff) === 5;
}

/** `BEGIN IMMEDIATE`, retried with short async pauses while another connection writes. */
export async function beginImmediate(db: DatabaseSync): Promise<void> {
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

// Opens idle waiters from their own process (idle-client.ts), for the memory and mixed-load benches.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT = fileURLToPath(new URL('./idle-client.ts', import.meta.url));

/**
 * Opens one waiter per id at `base + pathTemplate` (`:id` replaced), using `keys` in turn, and
 * resolves once every connection is up. Kill the returned process to close them.
 */
export async function openIdleWaiters(
  base: string,
  keys: string[],
  pathTemplate: string,
  ids: string[],
): Promise<ChildProcess> {
  const work = mkdtempSync(join(tmpdir(), 'countersign-bench-waiters-'));
  writeFileSync(join(work, 'ids.json'), JSON.stringify(ids));
  writeFileSync(join(work, 'keys.json'), JSON.stringify(keys));
  const client = spawn(
    process.execPath,
    [CLIENT, base, join(work, 'keys.json'), pathTemplate, join(work, 'ids.json')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      client.stdout?.on('data', (chunk) => {
        if (String(chunk).includes('refused')) reject(new Error(`${pathTemplate}: ${chunk}`));
        if (String(chunk).includes('open')) resolve();
      });
      client.once('exit', (code) => reject(new Error(`idle client exited with ${code}`)));
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return client;
}

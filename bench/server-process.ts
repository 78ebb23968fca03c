// Starts `countersign serve` in its own process on a temporary database, for the server benchmarks.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../packages/server/bin/countersign.js', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  keys: { agent: string; reviewer: string; admin: string };
  /** Resident set size of the server process, in MiB. */
  rssMiB(): number;
  /** Stops the process and starts a fresh one on the same database (url and pid change). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function createKey(db: string, role: string, name: string): string {
  const result = spawnSync(
    process.execPath,
    [BIN, 'keys', 'create', '--role', role, '--name', name, '--db', db],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`keys create failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Spawns a node script that prints `listening on URL`, and waits for that line. */
export function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/i.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export async function startServerProcess(): Promise<ServerProcess> {
  const directory = mkdtempSync(join(tmpdir(), 'countersign-bench-'));
  const db = join(directory, 'bench.db');
  const keys = {
    agent: createKey(db, 'agent', 'bench-bot'),
    reviewer: createKey(db, 'reviewer', 'bench-reviewer'),
    admin: createKey(db, 'admin', 'bench-admin'),
  };
  const start = async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { child, url: await waitForUrl(child) };
  };
  const stopChild = async (child: ChildProcess) => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  let current = await start();
  const handle: ServerProcess = {
    url: current.url,
    pid: current.child.pid as number,
    keys,
    rssMiB: () => rssOf(current.child.pid as number),
    async restart() {
      await stopChild(current.child);
      current = await start();
      handle.url = current.url;
      handle.pid = current.child.pid as number;
    },
    async stop() {
      await stopChild(current.child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
  return handle;
}

/** p50/p99/max of a list of milliseconds. */
export function percentiles(values: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

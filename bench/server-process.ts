// Starts `countersign serve` in its own process on a temporary database, for the server benchmarks.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const BIN = fileURLToPath(new URL('../packages/server/bin/countersign.js', import.meta.url));

export interface ServerProcess {
  /** The first replica's URL. */
  url: string;
  /** Every replica's URL, in start order. */
  urls: string[];
  pid: number;
  keys: { agent: string; reviewer: string; admin: string };
  /** Resident set size of the server process, in MiB. */
  rssMiB(): number;
  /** CPU time the server process has used so far, in milliseconds: its main thread, and all. */
  cpuMs(): CpuTime;
  /** Creates another key through the admin API. */
  createKey(role: 'agent' | 'reviewer', name: string): Promise<string>;
  /** Stops the process and starts a fresh one on the same database (url and pid change). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Where the servers keep their data: a fresh SQLite file unless `databaseUrl` is given. */
export interface ServerProcessOptions {
  /** PostgreSQL URL; each start uses a fresh random schema, dropped by `stop()`. */
  databaseUrl?: string;
  /** Processes serving the same database (default 1). */
  replicas?: number;
  /** More `countersign serve` flags (such as `--metrics-port 0`). */
  args?: string[];
  /** More environment variables for the server processes (such as `OTEL_*`). */
  env?: Record<string, string>;
  /** Another build's `bin/countersign.js`, to compare two builds in one run (default: this one). */
  bin?: string;
}

function createKey(bin: string, storeFlags: string[], role: string, name: string): string {
  const result = spawnSync(
    process.execPath,
    [bin, 'keys', 'create', '--role', role, '--name', name, ...storeFlags],
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

/** CPU time of a process in milliseconds: its main thread (where requests run), and all threads. */
export interface CpuTime {
  main: number;
  all: number;
}

/**
 * The CPU time of `pid` so far, from the scheduler's own nanosecond counts per thread (finer than
 * the 10 ms ticks of `/proc/PID/stat`). The main thread's id is the process id.
 */
export function cpuMsOf(pid: number): CpuTime {
  const time = { main: 0, all: 0 };
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [onCpu] = readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ');
      const ms = Number(onCpu) / 1e6;
      time.all += ms;
      if (task === String(pid)) time.main = ms;
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return time;
}

export async function startServerProcess(
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const directory = mkdtempSync(join(tmpdir(), 'countersign-bench-'));
  const schema = `bench_${Math.random().toString(36).slice(2, 10)}`;
  const storeFlags =
    options.databaseUrl === undefined
      ? ['--db', join(directory, 'bench.db')]
      : ['--database-url', options.databaseUrl, '--schema', schema];
  const bin = options.bin ?? BIN;
  const keys = {
    agent: createKey(bin, storeFlags, 'agent', 'bench-bot'),
    reviewer: createKey(bin, storeFlags, 'reviewer', 'bench-reviewer'),
    admin: createKey(bin, storeFlags, 'admin', 'bench-admin'),
  };
  const startOne = async () => {
    const flags = ['serve', '--port', '0', ...storeFlags, ...(options.args ?? [])];
    const child = spawn(process.execPath, [bin, ...flags], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    return { child, url: await waitForUrl(child) };
  };
  const start = () => Promise.all(Array.from({ length: options.replicas ?? 1 }, () => startOne()));
  const stopAll = () =>
    Promise.all(
      current.map(async ({ child }) => {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }),
    );
  let current = await start();
  const first = () => current[0] as (typeof current)[number];
  const handle: ServerProcess = {
    url: first().url,
    urls: current.map(({ url }) => url),
    pid: first().child.pid as number,
    keys,
    rssMiB: () => rssOf(first().child.pid as number),
    cpuMs: () => cpuMsOf(first().child.pid as number),
    async createKey(role, name) {
      const response = await fetch(`${handle.url}/v1/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role, name }),
      });
      if (!response.ok) throw new Error(`POST /v1/keys answered ${response.status}`);
      return ((await response.json()) as { key: string }).key;
    },
    async restart() {
      await stopAll();
      current = await start();
      handle.url = first().url;
      handle.urls = current.map(({ url }) => url);
      handle.pid = first().child.pid as number;
    },
    async stop() {
      await stopAll();
      rmSync(directory, { recursive: true, force: true });
      if (options.databaseUrl !== undefined) {
        const client = new pg.Client({ connectionString: options.databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
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

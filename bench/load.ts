// Runs load from outside: autocannon in its own process (load-driver.ts), against servers in theirs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from './server-process.ts';

const DRIVER = fileURLToPath(new URL('./load-driver.ts', import.meta.url));

/** One autocannon run; the jobs of one spec run at the same time. */
export interface LoadJob {
  name: string;
  /** Connections are spread over these round-robin (autocannon binds connection i to url i % n). */
  urls: string[];
  connections: number;
  durationSeconds: number;
  /** Stops after this many responses instead (autocannon lets it override the duration). */
  amount?: number;
  /** Requests per second over all connections (default: as fast as the server answers). */
  overallRate?: number;
  method: 'GET' | 'POST';
  /** Request path; `:id` is replaced by the next id from the shared queue when `takeIds` is set. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Pushes the `id` of every 201 JSON response onto the shared queue. */
  collectIds?: boolean;
  /** Takes each request's `:id` from the front of the shared queue. */
  takeIds?: boolean;
}

export interface LoadSpec {
  jobs: LoadJob[];
  /** The shared queue at the start. */
  ids: string[];
}

export interface LoadResult {
  name: string;
  requests: number;
  seconds: number;
  perSecond: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export interface LoadOutput {
  results: LoadResult[];
  /** The shared queue at the end: the initial ids not taken, then the collected ones. */
  queue: string[];
  /** Requests that found the queue empty (sent with a stale id instead). */
  starved: number;
}

/** Runs `spec` in a fresh load-generator process and returns what it measured. */
export async function runLoad(spec: LoadSpec): Promise<LoadOutput> {
  const child = spawn(process.execPath, [DRIVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify(spec));
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load driver exited with ${code}`);
  return JSON.parse(output) as LoadOutput;
}

/** A server's CPU time per request, in microseconds: its main thread, and all its threads. */
export interface CpuPerRequest {
  main: number;
  all: number;
}

/** Runs `spec` (its first job's requests count) and returns the CPU time `server` spent on each. */
export async function runLoadWithCpu(
  server: ServerProcess,
  spec: LoadSpec,
): Promise<{ output: LoadOutput; cpu: CpuPerRequest }> {
  const before = server.cpuMs();
  const output = await runLoad(spec);
  const after = server.cpuMs();
  const { requests } = output.results[0] as LoadResult;
  return {
    output,
    cpu: {
      main: ((after.main - before.main) * 1000) / requests,
      all: ((after.all - before.all) * 1000) / requests,
    },
  };
}

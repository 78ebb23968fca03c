import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningChild, runNode } from '../scenarios/child-process.ts';

const cli = fileURLToPath(new URL('../../packages/server/bin/countersign.js', import.meta.url));

/** The `countersign` CLI as a child process on one SQLite file, killable and restartable. */
export interface CliServer {
  dbPath: string;
  /** The URL of the last `serve` (the port stays the same across restarts). */
  url: string;
  /** Runs a one-shot CLI command and returns its trimmed output; throws on a non-zero exit. */
  run(args: string[]): Promise<string>;
  /** Starts `serve` (on the previous port after the first start). */
  start(): Promise<void>;
  /** SIGKILLs the running `serve`, as a crash would. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

export async function createCliServer(): Promise<CliServer> {
  const directory = await mkdtemp(join(tmpdir(), 'countersign-core-e2e-'));
  const dbPath = join(directory, 'countersign.db');
  let serving: RunningChild | undefined;
  let port = 0;
  const handle: CliServer = {
    dbPath,
    url: '',
    async run(args) {
      const child = runNode(cli, args);
      const code = await child.exited;
      if (code !== 0)
        throw new Error(`countersign ${args.join(' ')} exited ${code}:\n${child.output()}`);
      return child.output().trim();
    },
    async start() {
      const child = runNode(cli, ['serve', '--port', String(port), '--db', dbPath]);
      serving = child;
      const match = await child.waitFor(/Countersign listening on (http:\/\/127\.0\.0\.1:(\d+))/);
      handle.url = match[1] as string;
      port = Number(match[2]);
    },
    async kill() {
      const child = serving;
      serving = undefined;
      if (!child || child.child.exitCode !== null) return;
      child.child.kill('SIGKILL');
      await child.exited;
    },
    async close() {
      await handle.kill();
      await rm(directory, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Creates a key offline with `keys create` (the key is the last line printed). */
export async function createKey(
  server: CliServer,
  role: string,
  name: string,
  groups?: string,
): Promise<string> {
  const out = await server.run([
    'keys',
    'create',
    '--role',
    role,
    '--name',
    name,
    ...(groups ? ['--groups', groups] : []),
    '--db',
    server.dbPath,
  ]);
  return out.split('\n').at(-1)?.trim() as string;
}

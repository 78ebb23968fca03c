import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const exampleDir = fileURLToPath(new URL('..', import.meta.url));
// The `countersign` CLI of the installed @countersign/server, run on this same Node.
const cli = join(
  realpathSync(join(exampleDir, 'node_modules/@countersign/server')),
  'bin/countersign.js',
);

/** A Countersign server started from its CLI on a free loopback port. */
export interface LocalServer {
  url: string;
  keys: { admin: string; agent: string; reviewer: string };
  stop(): void;
}

/** Creates the keys offline in a fresh database, then runs `countersign serve` on it. */
export async function startLocalServer(stateDir: string): Promise<LocalServer> {
  const db = join(stateDir, 'countersign.db');
  const key = async (role: string, name: string) => {
    const { stdout } = await run(process.execPath, [
      cli,
      'keys',
      'create',
      '--role',
      role,
      '--name',
      name,
      '--db',
      db,
    ]);
    return stdout.trim();
  };
  const keys = {
    admin: await key('admin', 'example-admin'),
    agent: await key('agent', 'finance-bot'),
    reviewer: await key('reviewer', 'alice'),
  };
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', db],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await listeningUrl(child);
  return { url, keys, stop: () => child.kill('SIGTERM') };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`countersign serve did not start:\n${seen}`)),
      15_000,
    );
    child.once('exit', (code) => reject(new Error(`countersign serve exited (${code}):\n${seen}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /Countersign listening on (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
}

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const exampleDir = fileURLToPath(new URL('..', import.meta.url));

/** The bin script of an installed workspace package, failing with a clear hint when not built. */
export function packageBin(packageName: string, bin: string, built: string): string {
  const root = realpathSync(join(exampleDir, 'node_modules', packageName));
  if (!existsSync(join(root, built))) {
    throw new Error(
      `${packageName} is not built (no ${built}). Run \`npx -y pnpm@10 run build\` at the repository root first.`,
    );
  }
  return join(root, bin);
}

/** A Countersign server started from its CLI on a free loopback port. */
export interface LocalServer {
  url: string;
  keys: { agent: string; reviewer: string };
  /** Stops the server and resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Creates an agent key (`agent:claude`) and a reviewer key (`user:you`) offline in a fresh
 * database, then runs `countersign serve --port 0` on it, as the README's steps do by hand.
 */
export async function startLocalServer(db: string): Promise<LocalServer> {
  const cli = packageBin('@countersign/server', 'bin/countersign.js', 'dist/index.js');
  const key = async (role: string, name: string) => {
    const args = [cli, 'keys', 'create', '--role', role, '--name', name, '--db', db];
    const { stdout } = await run(process.execPath, args);
    return stdout.trim();
  };
  const keys = { agent: await key('agent', 'claude'), reviewer: await key('reviewer', 'you') };
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', db],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const url = await listeningUrl(child);
    return { url, keys, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** Sends SIGTERM and waits for the exit (at once when it already ended). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`countersign serve did not start:\n${seen}`)),
      15_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`countersign serve exited (${code}):\n${seen}`));
    });
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

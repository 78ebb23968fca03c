import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/countersign.js', import.meta.url));

/** A `countersign serve` process started by {@link spawnServe}. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** What it printed until it listened. */
  output: string;
}

/**
 * Spawns `countersign serve --port 0 …args` and resolves once it listens; `children` collects the
 * process so the test can kill whatever is left at the end.
 */
export function spawnServe(args: string[], children: ChildProcess[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 10_000);
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /Countersign listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] as string, output });
      }
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

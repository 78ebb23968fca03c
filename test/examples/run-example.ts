// Runs an example's own one command (its package.json `start` script) as a child process on this
// Node (24), in its own process group with its own temp dir, so nothing it starts outlives the test.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, type RunningChild } from '../scenarios/child-process.ts';

/** A started example: its output, its exit, and the temp dir it was given as TMPDIR. */
export interface RunningExample extends RunningChild {
  /** The temp dir (TMPDIR) the example's databases and state go to. */
  tempDir: string;
  /** Resolves with the exit code once all output is in, or rejects (after killing the group) when it runs too long. */
  finished(timeoutMs?: number): Promise<number | null>;
  /** Kills the example's whole process group and removes its temp dir. */
  stop(): Promise<void>;
}

/** The directory of `examples/NAME`. */
export function exampleDir(name: string): string {
  return fileURLToPath(new URL(`../../examples/${name}/`, import.meta.url));
}

/** The arguments of the example's `start` script, which must be `node FILE…`. */
export function startCommand(name: string): string[] {
  const manifest = JSON.parse(readFileSync(join(exampleDir(name), 'package.json'), 'utf8')) as {
    scripts?: { start?: string };
  };
  const start = manifest.scripts?.start ?? '';
  const [program, ...args] = start.split(/\s+/);
  if (program !== 'node' || args.length === 0)
    throw new Error(`examples/${name}: expected a "node FILE" start script, got "${start}"`);
  return args;
}

/** Starts `examples/NAME`'s start script with extra arguments and environment. */
export async function startExample(
  name: string,
  options: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningExample> {
  const tempDir = await mkdtemp(join(tmpdir(), `countersign-example-${name}-`));
  const child = spawn(process.execPath, [...startCommand(name), ...(options.args ?? [])], {
    cwd: exampleDir(name),
    env: {
      ...process.env,
      TMPDIR: tempDir,
      OPENAI_API_KEY: '',
      ANTHROPIC_API_KEY: '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const running = collect(child);
  // 'exit' can come before the last output; 'close' comes after the pipes are drained.
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  };
  return {
    ...running,
    tempDir,
    async finished(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          killGroup();
          reject(new Error(`examples/${name} ran over ${timeoutMs} ms:\n${running.output()}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([closed, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      killGroup();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

/** How many times `text` occurs in `output`. */
export function count(output: string, text: string): number {
  return output.split(text).length - 1;
}

import { spawn } from 'node:child_process';
import { dirname } from 'node:path';

/** What a finished command printed and how it ended. */
export interface CommandResult {
  code: number | null;
  output: string;
}

/** Options for {@link runCommand}. */
export interface RunCommandOptions {
  cwd: string;
  /** Added to the environment. */
  env?: Record<string, string>;
  /** Kill the command after this many milliseconds (default 120 000). */
  timeoutMs?: number;
}

/**
 * The environment a user on a supported Node has: this Node (24) first on PATH, so `#!/usr/bin/env
 * node` bins and `npx` run on it rather than on an older system Node.
 */
export function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const path = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  return { ...process.env, PATH: path, npm_config_update_notifier: 'false', ...extra };
}

/** Runs a command to its end and resolves with its combined output; never rejects. */
export function runCommand(
  command: string,
  args: string[],
  options: RunCommandOptions,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: userEnvironment(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n[killed after ${options.timeoutMs ?? 120_000} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: `${output}\n${error.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

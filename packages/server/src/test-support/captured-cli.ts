import type { CliIo } from '../cli/cli-support.js';
import { runCli } from '../cli/run-cli.js';

/** Runs one CLI invocation with its output captured: exit code, stdout lines, stderr lines. */
export async function runCapturedCli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    write: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
  };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

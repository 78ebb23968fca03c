/**
 * Heap tuning for `countersign serve`. A server holding thousands of idle waiters allocates in
 * bursts (a reconnect storm) that make V8 grow its young generation to its maximum (64 MiB per
 * semi-space on large machines, 128 MiB resident) and keep it there. Capping the semi-space at
 * 4 MiB keeps 10,000 idle SSE streams or long-polls under 300 MB (at 16 MiB they came to about
 * 305-320 MB); the server's creates and decisions were no slower with it (bench/). The flag only
 * takes effect at start-up, so the CLI re-executes itself in place (same pid, same stdio) with it.
 */

/** The young-generation semi-space cap for the server process, in MiB. */
export const SERVE_SEMI_SPACE_MIB = 4;

const FLAG = '--max-semi-space-size';

/**
 * The argv to re-execute `node` with so that `serve` runs with the capped young generation, or
 * undefined when no re-execution is wanted: another command, the flag already set (on the command
 * line or in `NODE_OPTIONS`, which lets an operator choose another value), or
 * `COUNTERSIGN_HEAP_TUNING=off`.
 */
export function serveHeapArgv(
  cliArgs: readonly string[],
  process: {
    execPath: string;
    execArgv: readonly string[];
    argv: readonly string[];
    env: Record<string, string | undefined>;
  },
): string[] | undefined {
  if (cliArgs[0] !== 'serve') return undefined;
  if (process.env.COUNTERSIGN_HEAP_TUNING === 'off') return undefined;
  if (process.execArgv.some((arg) => arg.startsWith(FLAG))) return undefined;
  if (process.env.NODE_OPTIONS?.includes(FLAG)) return undefined;
  const script = process.argv[1];
  if (!script) return undefined;
  return [
    process.execPath,
    `${FLAG}=${SERVE_SEMI_SPACE_MIB}`,
    ...process.execArgv,
    script,
    ...cliArgs,
  ];
}

/**
 * Replaces the current process with one running `serve` under the capped young generation, when
 * {@link serveHeapArgv} asks for it and the platform has `process.execve` (POSIX, Node ≥ 23.11).
 * Returns normally otherwise, and the command runs with the default heap.
 */
export function reexecForServe(cliArgs: readonly string[]): void {
  const argv = serveHeapArgv(cliArgs, process);
  const execve = (
    process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }
  ).execve;
  if (!argv || typeof execve !== 'function') return;
  try {
    execve.call(process, process.execPath, argv, process.env);
  } catch {
    // The exec failed (and the process is unchanged): serve with the default heap.
  }
}

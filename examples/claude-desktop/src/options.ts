import { parseDuration } from '@countersign/core';

/** The command line of the example. */
export interface ExampleOptions {
  /** You decide the write (dashboard or CLI) instead of the scripted reviewer. */
  manual: boolean;
  /** `--max-wait` for the proxy: how long one call waits before answering "pending". */
  maxWait?: string;
}

export const USAGE = `usage: pnpm start [-- --manual] [--max-wait DURATION]
  --manual              you decide the write yourself (dashboard or CLI) instead of the script
  --max-wait DURATION   how long the proxy holds one call before answering "pending" (default 50s)`;

/** Parses the arguments (a lone `--` from pnpm is ignored); throws with a message on bad input. */
export function parseOptions(argv: string[]): ExampleOptions {
  const options: ExampleOptions = { manual: false };
  const args = argv.filter((arg) => arg !== '--');
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--manual') options.manual = true;
    else if (arg === '--max-wait') {
      const value = args[++index] ?? '';
      if (parseDuration(value) === undefined)
        throw new Error(`--max-wait needs a duration like 5s, not "${value}"`);
      options.maxWait = value;
    } else throw new Error(`Unknown option ${arg}`);
  }
  return options;
}

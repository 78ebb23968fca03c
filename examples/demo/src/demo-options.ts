import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '@countersign/core';

/** How the demo runs, from the command line and the environment. */
export interface DemoOptions {
  /** Port for the server; 8787 by default, any free port if that one is taken. */
  port: number;
  /** True when `--port` was given: then a busy port is an error, not a fallback. */
  portExplicit: boolean;
  /** The SQLite file. */
  dbPath: string;
  /** Approve every request this many milliseconds after it appears (non-interactive mode). */
  autoApproveAfterMs?: number;
  /** In non-interactive mode, reject the first request (to show the agent revising). */
  autoRejectFirst: boolean;
  /** Use the scripted model even when `OPENAI_API_KEY` or `ANTHROPIC_API_KEY` is set. */
  scripted: boolean;
}

const USAGE = `Usage: pnpm start [-- options]
  --port N                    server port (default 8787, or a free one if taken)
  --db FILE                   SQLite file (default ./.countersign/demo.db)
  --auto-approve-after 2s     decide automatically after this long (or COUNTERSIGN_DEMO_AUTO_APPROVE_AFTER)
  --auto-reject-first         with --auto-approve-after: reject the first request with a reason
  --scripted                  the scripted model even when OPENAI_API_KEY or ANTHROPIC_API_KEY is set`;

/** Parses the demo's arguments; throws with the usage text on anything it does not know. */
export function parseDemoOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
  defaultDb: string,
): DemoOptions {
  let values: {
    port?: string | undefined;
    db?: string | undefined;
    'auto-approve-after'?: string | undefined;
    'auto-reject-first'?: boolean | undefined;
    scripted?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      // `pnpm start -- --port 0` hands the script the `--` itself.
      args: argv[0] === '--' ? argv.slice(1) : argv,
      options: {
        port: { type: 'string' },
        db: { type: 'string' },
        'auto-approve-after': { type: 'string' },
        'auto-reject-first': { type: 'boolean' },
        scripted: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const port = Number(values.port ?? '8787');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, not "${values.port}"\n${USAGE}`);
  }
  const auto = values['auto-approve-after'] ?? env.COUNTERSIGN_DEMO_AUTO_APPROVE_AFTER;
  const options: DemoOptions = {
    port,
    portExplicit: values.port !== undefined,
    dbPath: resolve(values.db ?? defaultDb),
    autoRejectFirst: values['auto-reject-first'] === true,
    scripted: values.scripted === true,
  };
  if (auto !== undefined && auto !== '') {
    const ms = parseDuration(auto);
    if (ms === undefined) {
      throw new Error(`--auto-approve-after needs a duration like 2s, not "${auto}"\n${USAGE}`);
    }
    options.autoApproveAfterMs = ms;
  }
  if (options.autoRejectFirst && options.autoApproveAfterMs === undefined) {
    throw new Error(`--auto-reject-first needs --auto-approve-after\n${USAGE}`);
  }
  return options;
}

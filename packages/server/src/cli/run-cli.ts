import { CliError, type CliIo, describeError, processIo } from './cli-support.js';
import { keysCommand } from './command-keys.js';
import { serveCommand } from './command-serve.js';

const USAGE = `Usage: countersign <command>
  serve [--port 8787] [--host 127.0.0.1] [--db ./countersign.db]
  keys create --role agent|reviewer|admin --name NAME [--groups a,b] [--db FILE]
  keys list [--db FILE] [--json] | keys revoke ID [--db FILE]`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  keys: keysCommand,
};

/** Runs one CLI invocation and returns its exit code; errors become one line on stderr. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    io.err(`countersign ${name}: ${describeError(error)}`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

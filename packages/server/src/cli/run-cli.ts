import { CliError, type CliIo, describeError, processIo } from './cli-support.js';

const USAGE = `Usage: countersign <command>
  serve [--port 8787] [--host 127.0.0.1] [--db ./countersign.db]
        [--callback-hosts a.example,10.0.0.5:8080,*.internal]  (or COUNTERSIGN_CALLBACK_HOSTS)
        [--idempotency-retention 7d]  (how long Idempotency-Keys replay; at least 24h)
        [--config countersign.server.yaml]  (or COUNTERSIGN_CONFIG; flags > variables > file)
        [--print-config [--json]]  (the effective configuration, secrets masked, and exit)
        (every option and its COUNTERSIGN_* variable: the server README's options table)
  keys create --role agent|reviewer|admin --name NAME [--groups a,b] [--db FILE]
  keys list [--db FILE] [--json] | keys revoke ID [--db FILE]
  keys create --role reviewer|admin --user NAME  (a key of a directory user)
  users add|update NAME [--display-name T] [--email E] [--slack-id U…] [--groups a,b]
        [--channels email,slack] [--active true|false]
  users list [--active|--disabled] [--json] | users disable NAME
  keys rotate-signing [--signing-key-secret-file FILE]  (or COUNTERSIGN_SIGNING_KEY_SECRET[_FILE])
  (every database command takes --database-url postgres://… [--schema NAME] or
   COUNTERSIGN_DATABASE_URL instead of --db, so several servers share one PostgreSQL database)
  ls [--status pending] [--limit N]      show ID
  approve ID [--comment TEXT]            reject ID --reason TEXT [--comment TEXT]
  approve ID --grant [--grant-when CEL] [--grant-tool GLOB] [--grant-for run|agent|any]
             [--grant-lifetime 1h] [--grant-uses N]   (also allow calls like this one for a while)
  grants ls [--all]                      grants revoke ID [--reason TEXT]
  grants create --tool GLOB [--when CEL] [--for agent|run|any] [--agent agent:NAME] [--run ID]
                [--lifetime 1h] [--uses N]   (admins: a grant made directly)
  tail [--request ID]                    (live events; needs a running server)
  audit export [--format jsonl|csv] [--request ID] [--from ISO] [--to ISO]
  audit verify
  login --url URL    sign in with the server's identity provider (device code); ls, approve and
                     reject then use that login when no key is given
  logout [--url URL] end that login
  policy test FILE CASES.yaml [--json]   (expected allow/deny/require; exit 1 on a mismatch)
  policy explain FILE --tool T [--args JSON] [--context JSON] [--run ID] [--json]
  policy push FILE --name NAME | ls [NAME] | show NAME[@VERSION] | diff NAME A B
  policy rollback NAME VERSION | shadow NAME@VERSION | shadow NAME off | shadow-report NAME
  stop --all | --agent NAME | --policy NAME [--reason TEXT]   stop --list
  resume --all | --agent NAME | --policy NAME       (policy and stop commands need a running server)
Request and audit commands talk to COUNTERSIGN_URL with COUNTERSIGN_API_KEY (or --url/--key),
or work offline on --db FILE or --database-url URL (acting as admin "cli", or --as NAME);
COUNTERSIGN_DATABASE_URL alone (no COUNTERSIGN_URL) also works offline. Add --json for scripts.`;

type Command = (args: string[], io: CliIo) => Promise<number>;

// Each command loads its module on use, so `serve` does not carry the client-side code.
const COMMANDS: Record<string, Command> = {
  serve: async (args, io) => (await import('./command-serve.js')).serveCommand(args, io),
  keys: async (args, io) => (await import('./command-keys.js')).keysCommand(args, io),
  users: async (args, io) => (await import('./command-users.js')).usersCommand(args, io),
  ls: async (args, io) => (await import('./command-requests.js')).requestsCommand('ls', args, io),
  show: async (args, io) =>
    (await import('./command-requests.js')).requestsCommand('show', args, io),
  approve: async (args, io) =>
    (await import('./command-requests.js')).requestsCommand('approve', args, io),
  reject: async (args, io) =>
    (await import('./command-requests.js')).requestsCommand('reject', args, io),
  tail: async (args, io) => (await import('./command-tail.js')).tailCommand(args, io),
  audit: async (args, io) => (await import('./command-audit.js')).auditCommand(args, io),
  policy: async (args, io) => (await import('./command-policy.js')).policyCommand(args, io),
  stop: async (args, io) => (await import('./command-stop.js')).stopCommand('stop', args, io),
  resume: async (args, io) => (await import('./command-stop.js')).stopCommand('resume', args, io),
  grants: async (args, io) => (await import('./command-grants.js')).grantsCommand(args, io),
  login: async (args, io) => (await import('./command-login.js')).loginCommand(args, io),
  logout: async (args, io) => (await import('./command-login.js')).logoutCommand(args, io),
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

import { CliError, type CliIo } from './cli-support.js';

const USAGE = `Usage: countersign policy test FILE CASES.yaml | explain FILE --tool T [--args JSON]
  | push FILE --name NAME | ls [NAME] | show NAME[@VERSION] | diff NAME A B | rollback NAME VERSION
  | shadow NAME@VERSION | shadow NAME off | shadow-report NAME`;

const REMOTE = new Set(['push', 'ls', 'show', 'diff', 'rollback', 'shadow', 'shadow-report']);

/** `countersign policy …`: local tooling (test, explain) and central policies on the server. */
export async function policyCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'test')
    return (await import('./command-policy-tooling.js')).policyTestCommand(rest, io);
  if (action === 'explain') {
    return (await import('./command-policy-tooling.js')).policyExplainCommand(rest, io);
  }
  if (action !== undefined && REMOTE.has(action)) {
    return (await import('./command-policy-remote.js')).policyRemoteCommand(action, rest, io);
  }
  throw new CliError(USAGE, 2);
}

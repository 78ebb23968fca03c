import { CliError, type CliIo } from './cli-support.js';

const USAGE = `Usage: countersign policy test FILE CASES.yaml | explain FILE --tool T [--args JSON]`;

/** `countersign policy …`: local tooling (test, explain). */
export async function policyCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'test')
    return (await import('./command-policy-tooling.js')).policyTestCommand(rest, io);
  if (action === 'explain') {
    return (await import('./command-policy-tooling.js')).policyExplainCommand(rest, io);
  }
  throw new CliError(USAGE, 2);
}

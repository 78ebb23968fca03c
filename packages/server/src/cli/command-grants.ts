import { parseArgs } from 'node:util';
import type { Grant } from '@countersign/core/protocol';
import { CliError, type CliIo } from './cli-support.js';
import { backendFrom, CONNECTION_OPTIONS } from './command-requests.js';

function line(grant: Grant): string {
  const who =
    grant.appliesTo === 'any'
      ? 'any agent'
      : `${grant.agent}${grant.runId ? ` run ${grant.runId}` : ''}`;
  const uses =
    grant.maxUses === undefined ? `${grant.uses} uses` : `${grant.uses}/${grant.maxUses} uses`;
  return `${grant.id}  ${grant.status.padEnd(9)} ${grant.tool}  when ${grant.when}  for ${who}  by ${grant.grantedBy}  until ${grant.expiresAt}  ${uses}`;
}

/** `grants ls [--all]` and `grants revoke ID [--reason TEXT]`. */
export async function grantsCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'ls' && sub !== 'revoke')
    throw new CliError('Usage: grants ls [--all] | grants revoke ID [--reason TEXT]');
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...CONNECTION_OPTIONS,
      all: { type: 'boolean', default: false },
      reason: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const backend = await backendFrom(values, io);
  try {
    if (sub === 'ls') {
      const grants = await backend.listGrants({ all: values.all });
      if (values.json) io.out(JSON.stringify(grants));
      else if (grants.length === 0) io.out(values.all ? 'No grants' : 'No active grants');
      else for (const grant of grants) io.out(line(grant));
      return 0;
    }
    const id = positionals[0];
    if (!id) throw new CliError('grants revoke needs a grant id');
    const grant = await backend.revokeGrant(id, values.reason);
    io.out(values.json ? JSON.stringify(grant) : `Revoked ${line(grant)}`);
    return 0;
  } finally {
    await backend.close();
  }
}

import { parseArgs } from 'node:util';
import {
  type CreateGrantInput,
  createGrantBodySchema,
  type Grant,
} from '@countersign/core/protocol';
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

const USAGE =
  'Usage: grants ls [--all] | grants revoke ID [--reason TEXT] | grants create --tool GLOB [--when CEL] [--for agent|run|any] [--agent agent:NAME] [--run ID] [--lifetime 1h] [--uses N]';

/** The body of `grants create` from its flags, checked with the API's own schema. */
function createBody(values: Record<string, string | boolean | undefined>): CreateGrantInput {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const uses = text('uses');
  const candidate = {
    tool: text('tool'),
    ...(text('when') === undefined ? {} : { when: text('when') }),
    ...(text('for') === undefined ? {} : { appliesTo: text('for') }),
    ...(text('agent') === undefined ? {} : { agent: text('agent') }),
    ...(text('run') === undefined ? {} : { runId: text('run') }),
    ...(text('lifetime') === undefined ? {} : { lifetime: text('lifetime') }),
    ...(uses === undefined ? {} : { maxUses: Number(uses) }),
  };
  const parsed = createGrantBodySchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'grant'}: ${issue.message}`,
    );
    throw new CliError(`grants create: ${problems.join('; ')}`);
  }
  return candidate as CreateGrantInput;
}

/** `grants ls [--all]`, `grants revoke ID [--reason TEXT]` and `grants create --tool …` (admins). */
export async function grantsCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'ls' && sub !== 'revoke' && sub !== 'create') throw new CliError(USAGE);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...CONNECTION_OPTIONS,
      all: { type: 'boolean', default: false },
      reason: { type: 'string' },
      tool: { type: 'string' },
      when: { type: 'string' },
      for: { type: 'string' },
      agent: { type: 'string' },
      run: { type: 'string' },
      lifetime: { type: 'string' },
      uses: { type: 'string' },
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
    if (sub === 'create') {
      const grant = await backend.createGrant(createBody(values));
      io.out(values.json ? JSON.stringify(grant) : `Created ${line(grant)}`);
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

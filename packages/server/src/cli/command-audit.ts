import { parseArgs } from 'node:util';
import { CliError, type CliIo } from './cli-support.js';
import { backendFrom, CONNECTION_OPTIONS } from './command-requests.js';

/** `audit export [--format jsonl|csv] [--request ID] [--from ISO] [--to ISO]` and `audit verify`. */
export async function auditCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      ...CONNECTION_OPTIONS,
      format: { type: 'string', default: 'jsonl' },
      request: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
    strict: true,
  });
  if (action !== 'export' && action !== 'verify')
    throw new CliError('Usage: countersign audit export|verify');
  if (values.format !== 'jsonl' && values.format !== 'csv')
    throw new CliError('--format is jsonl or csv');
  const backend = await backendFrom(values, io);
  try {
    if (action === 'export') {
      await backend.auditExport(
        {
          format: values.format,
          ...(values.request ? { requestId: values.request } : {}),
          ...(values.from ? { from: values.from } : {}),
          ...(values.to ? { to: values.to } : {}),
        },
        (text) => io.write(text),
      );
      return 0;
    }
    const result = await backend.auditVerify();
    if (values.json) io.out(JSON.stringify(result));
    else if (result.ok) io.out(result.message);
    else io.err(`Audit chain broken: ${result.message}`);
    return result.ok ? 0 : 3;
  } finally {
    await backend.close();
  }
}

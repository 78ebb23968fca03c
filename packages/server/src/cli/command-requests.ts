import { parseArgs } from 'node:util';
import {
  type ApprovalRequest,
  type DecisionInput,
  describeGrantApproval,
  renderPreviewText,
} from '@countersign/core/protocol';
import type { Backend } from './backend.js';
import { CliError, type CliIo } from './cli-support.js';
import { GRANT_OPTIONS, grantFromFlags } from './grant-flags.js';
import { localBackend } from './local-backend.js';
import { openStoreFromFlags, STORE_OPTIONS } from './open-store.js';
import { remoteBackend } from './remote-backend.js';

/** Options every server-talking command accepts. */
export const CONNECTION_OPTIONS = {
  ...STORE_OPTIONS,
  url: { type: 'string' },
  key: { type: 'string' },
  as: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/**
 * `--db FILE`, `--database-url URL` or `--schema NAME` work offline on that database (SQLite or
 * PostgreSQL). Otherwise `--url`/`COUNTERSIGN_URL` with `--key`/`COUNTERSIGN_API_KEY` talk to a
 * running server; failing those, `COUNTERSIGN_DATABASE_URL` works offline on PostgreSQL.
 */
export async function backendFrom(
  values: {
    db?: string | undefined;
    'database-url'?: string | undefined;
    schema?: string | undefined;
    url?: string | undefined;
    key?: string | undefined;
    as?: string | undefined;
  },
  io: CliIo,
): Promise<Backend> {
  const offline =
    values.db !== undefined || values['database-url'] !== undefined || values.schema !== undefined;
  const url = values.url ?? io.env.COUNTERSIGN_URL;
  const key = values.key ?? io.env.COUNTERSIGN_API_KEY;
  if (offline && (values.url !== undefined || values.key !== undefined)) {
    throw new CliError('Give either a database (--db, --database-url) or --url/--key, not both');
  }
  if (offline || (!url && io.env.COUNTERSIGN_DATABASE_URL)) {
    const store = await openStoreFromFlags(values, io.env);
    return localBackend(store, values.as ?? 'cli');
  }
  if (values.as !== undefined) throw new CliError('--as works only offline (--db, --database-url)');
  if (!url || !key) {
    throw new CliError(
      'Set COUNTERSIGN_URL and COUNTERSIGN_API_KEY (or pass --db FILE or --database-url URL to work offline)',
    );
  }
  return remoteBackend(url, key);
}

function line(request: ApprovalRequest): string {
  const who = request.assignees.length > 0 ? request.assignees.join(',') : 'anyone';
  return `${request.id}  ${request.status.padEnd(9)} ${request.kind.padEnd(13)} ${request.createdAt}  ${request.requester} → ${who}  ${request.action}`;
}

/** How a grant took part: the one that approved the request, or the one its approval added. */
function grantLine(request: ApprovalRequest): string | undefined {
  if (request.resolution?.grant) return describeGrantApproval(request.resolution.grant);
  const added = request.decisions.find((decision) => decision.addedGrant)?.addedGrant;
  return added === undefined ? undefined : `added ${added}`;
}

function details(request: ApprovalRequest): string {
  const rows: [string, unknown][] = [
    ['id', request.id],
    ['status', request.status],
    ['version', request.version],
    ['kind', request.kind],
    ['action', request.action],
    ['requester', request.requester],
    ['assignees', request.assignees.join(', ') || 'anyone'],
    ['quorum', request.quorum],
    [
      'tool',
      request.tool ? `${request.tool.name} ${JSON.stringify(request.tool.args)}` : undefined,
    ],
    ['fingerprint', request.fingerprint],
    ['deadline', request.deadline],
    ['created', request.createdAt],
    [
      'decisions',
      request.decisions
        .map((d) => `${d.principal} ${d.outcome}${d.reason ? ` (${d.reason})` : ''}`)
        .join('; ') || undefined,
    ],
    ['resolution', request.resolution ? JSON.stringify(request.resolution) : undefined],
    ['grant', grantLine(request)],
  ];
  const text = rows
    .filter(([, value]) => value !== undefined)
    .map(([label, value]) => `${label.padEnd(12)} ${value}`)
    .join('\n');
  if (!request.preview) return text;
  const preview = renderPreviewText(request.preview)
    .split('\n')
    .map((previewLine) => `  ${previewLine}`)
    .join('\n');
  return `${text}\n\npreview (${request.preview.kind})\n${terminalSafe(preview)}`;
}

/** An agent's text may hold escape sequences that rewrite a terminal: show them, do not obey them. */
function terminalSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what must not reach the terminal
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** `ls`, `show`, `approve`, `reject`. */
export async function requestsCommand(name: string, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...CONNECTION_OPTIONS,
      status: { type: 'string' },
      limit: { type: 'string' },
      comment: { type: 'string' },
      reason: { type: 'string' },
      ...GRANT_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  const backend = await backendFrom(values, io);
  try {
    if (name === 'ls') {
      const page = await backend.list({
        ...(values.status ? { status: values.status } : {}),
        ...(values.limit ? { limit: Number(values.limit) } : {}),
      });
      if (values.json) io.out(JSON.stringify(page));
      else if (page.items.length === 0) io.out('No requests');
      else for (const request of page.items) io.out(line(request));
      return 0;
    }
    const id = positionals[0];
    if (!id) throw new CliError(`${name} needs a request id`);
    let request: ApprovalRequest;
    if (name === 'show') {
      request = await backend.get(id);
    } else {
      if (name === 'reject' && !values.reason) throw new CliError('reject needs --reason');
      const body: DecisionInput =
        name === 'approve'
          ? {
              outcome: 'approve',
              ...(values.comment ? { comment: values.comment } : {}),
              ...grantFromFlags(values),
            }
          : {
              outcome: 'reject',
              reason: values.reason as string,
              ...(values.comment ? { comment: values.comment } : {}),
            };
      request = await backend.decide(id, body);
    }
    io.out(values.json ? JSON.stringify(request) : details(request));
    return 0;
  } finally {
    await backend.close();
  }
}

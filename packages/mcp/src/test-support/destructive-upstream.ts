// Runnable as a stdio MCP server: `node destructive-upstream.ts` (Node 24 strips the types); each
// executed call is then appended as a JSON line to the file named by UPSTREAM_CALL_LOG.
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { SubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

// The proxy's RECEIPT_META_KEY, spelled out: this file also runs on its own under plain Node.
const RECEIPT_META_KEY = 'countersign/receipt';

/** One executed upstream call, as the test upstream records it. */
export interface UpstreamCallRecord {
  tool: string;
  args: Record<string, unknown>;
  /** The decision receipt the proxy forwarded in `_meta`, when it forwarded one. */
  receipt?: string;
}

/**
 * A small upstream MCP server with destructive tools, for tests. Every call that really runs is
 * passed to `record` (and so can be counted): that is how tests prove exactly-once forwarding.
 */
export function createDestructiveUpstream(record: (call: UpstreamCallRecord) => void): McpServer {
  const server = new McpServer(
    { name: 'destructive-upstream', version: '1.0.0' },
    { capabilities: { logging: {}, resources: { subscribe: true } } },
  );
  addReadables(server);
  server.registerTool(
    'get_balance',
    {
      description: 'Read an account balance',
      inputSchema: { account: z.string() },
      annotations: { readOnlyHint: true },
    },
    async ({ account }) => {
      record({ tool: 'get_balance', args: { account } });
      await server.sendLoggingMessage({ level: 'info', data: `balance of ${account} read` });
      return { content: [{ type: 'text', text: `${account}: 100` }] };
    },
  );
  server.registerTool(
    'delete_file',
    {
      description: 'Delete a file',
      inputSchema: { path: z.string().min(1) },
      annotations: { destructiveHint: true, readOnlyHint: false },
    },
    async ({ path }, extra) => {
      const receipt = extra._meta?.[RECEIPT_META_KEY];
      record({
        tool: 'delete_file',
        args: { path },
        ...(typeof receipt === 'string' ? { receipt } : {}),
      });
      return { content: [{ type: 'text', text: `deleted ${path}` }] };
    },
  );
  server.registerTool(
    'transfer_funds',
    {
      title: 'Transfer funds',
      description: 'Send money',
      inputSchema: { to: z.string(), amount: z.number().positive() },
      outputSchema: { ok: z.boolean(), txId: z.string() },
      annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async ({ to, amount }) => {
      record({ tool: 'transfer_funds', args: { to, amount } });
      const out = { ok: true, txId: `tx-${to}-${amount}` };
      return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
    },
  );
  return server;
}

/** Resources, a template, a subscription and a prompt with completion, for the pass-through. */
function addReadables(server: McpServer): void {
  server.registerResource('notes', 'memo://notes', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, text: 'remember the milk' }],
  }));
  server.registerResource('plan', 'memo://secret/plan', {}, async (uri) => ({
    contents: [{ uri: uri.href, text: 'the secret plan' }],
  }));
  server.registerResource(
    'item',
    new ResourceTemplate('memo://items/{id}', { list: undefined }),
    {},
    async (uri, { id }) => ({ contents: [{ uri: uri.href, text: `item ${String(id)}` }] }),
  );
  server.registerPrompt(
    'greet',
    {
      description: 'Greets someone',
      argsSchema: {
        name: completable(z.string(), (value) =>
          ['alice', 'bob'].filter((name) => name.startsWith(value)),
        ),
      },
    },
    ({ name }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name}.` } }],
    }),
  );
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    // Tell the subscriber at once that the resource changed, so tests see the forwarding.
    setTimeout(() => void server.server.sendResourceUpdated({ uri: request.params.uri }), 10);
    return {};
  });
}

/** The calls a child-process upstream recorded in `file` (none when it does not exist yet). */
export async function readCallLog(file: string): Promise<UpstreamCallRecord[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as UpstreamCallRecord);
}

/** A recorder that appends JSON lines to `file` (the child-process upstream uses it). */
export function appendToFile(file: string | undefined): (call: UpstreamCallRecord) => void {
  return (call) => {
    if (file) appendFileSync(file, `${JSON.stringify(call)}\n`);
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = createDestructiveUpstream(appendToFile(process.env.UPSTREAM_CALL_LOG));
  await server.connect(new StdioServerTransport());
}

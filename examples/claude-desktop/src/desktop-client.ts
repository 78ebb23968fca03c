import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  type CallToolResult,
  CallToolResultSchema,
  ElicitRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { packageBin } from './local-server.ts';

const require = createRequire(import.meta.url);

/** Options for {@link connectLikeClaudeDesktop}. */
export interface DesktopClientOptions {
  /** The Countersign server and its agent key (the `env` block of the Claude Desktop config). */
  countersignUrl: string;
  agentKey: string;
  /** The folder the filesystem server may touch. */
  folder: string;
  /** Where the proxy remembers pending calls (`--state`). */
  stateFile: string;
  /** The proxy's `--max-wait` (default 50s): how long a call waits before answering "pending". */
  maxWait?: string | undefined;
  /** Receives every line the proxy logs to stderr. */
  onLog: (line: string) => void;
  /** Plays the user answering a confirmation form in the client (MCP elicitation). */
  onConfirm: (message: string) => boolean;
}

/**
 * Starts `countersign-mcp proxy --policy countersign.yaml --state … -- <filesystem server> FOLDER`
 * exactly as `claude_desktop_config.json` does (with this Node and the built workspace packages
 * instead of `npx`), and connects the official MCP SDK client to it over stdio.
 */
export async function connectLikeClaudeDesktop(options: DesktopClientOptions): Promise<Client> {
  const proxyBin = packageBin('@countersign/mcp', 'bin/countersign-mcp.js', 'dist/cli/main.js');
  const filesystemServer = join(
    dirname(require.resolve('@modelcontextprotocol/server-filesystem/package.json')),
    'dist/index.js',
  );
  const policy = fileURLToPath(new URL('../countersign.yaml', import.meta.url));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      proxyBin,
      'proxy',
      '--policy',
      policy,
      '--state',
      options.stateFile,
      ...(options.maxWait ? ['--max-wait', options.maxWait] : []),
      '--',
      process.execPath,
      filesystemServer,
      options.folder,
    ],
    // Like Claude Desktop, the SDK passes only a safe default environment plus the config's `env`.
    env: {
      ...getDefaultEnvironment(),
      COUNTERSIGN_URL: options.countersignUrl,
      COUNTERSIGN_API_KEY: options.agentKey,
    },
    stderr: 'pipe',
  });
  let pending = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) options.onLog(line);
  });
  const client = new Client(
    { name: 'claude-desktop-stand-in', version: '1.0.0' },
    // Elicitation for confirmations; tasks for step 6 (a client that works with MCP tasks).
    { capabilities: { elicitation: { form: {} }, tasks: { list: {}, cancel: {} } } },
  );
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    const approve = options.onConfirm(request.params.message);
    return approve ? { action: 'accept', content: { approve: true } } : { action: 'decline' };
  });
  await client.connect(transport);
  return client;
}

/**
 * Calls a tool as an MCP task, the way a client with task support does (the SDK's callToolStream):
 * the proxy answers with a task at once; the client polls `tasks/get` and fetches the result with
 * `tasks/result` once a human decided. Reports each new status message.
 */
export async function callAsTask(
  client: Client,
  name: string,
  toolArgs: Record<string, unknown>,
  onStatus: (line: string) => void,
): Promise<CallToolResult> {
  let last = '';
  const stream = client.experimental.tasks.callToolStream(
    { name, arguments: toolArgs },
    CallToolResultSchema,
    { timeout: 120_000 },
  );
  for await (const message of stream) {
    if (message.type === 'taskCreated' || message.type === 'taskStatus') {
      const line = `task ${message.task.status}: ${message.task.statusMessage ?? ''}`;
      if (line !== last) onStatus(line);
      last = line;
    } else if (message.type === 'result') {
      return message.result as CallToolResult;
    } else if (message.type === 'error') {
      throw message.error;
    }
  }
  throw new Error(`the task for ${name} ended without a result`);
}

/** The text parts of a tool result, joined. */
export function resultText(result: CallToolResult): string {
  return result.content
    .map((part) => (part.type === 'text' ? part.text : `[${part.type}]`))
    .join('\n');
}

/**
 * The request id when the proxy answered "still waiting for a human", else undefined. Tools with an
 * output schema (all of the filesystem server's) get the pending answer as text only.
 */
export function pendingRequestId(result: CallToolResult): string | undefined {
  const structured = result.structuredContent as
    | { status?: unknown; requestId?: unknown }
    | undefined;
  if (structured?.status === 'pending' && typeof structured.requestId === 'string')
    return structured.requestId;
  return /^Waiting for human approval: .*\(Countersign request (req_[\w-]+)\)/.exec(
    resultText(result),
  )?.[1];
}

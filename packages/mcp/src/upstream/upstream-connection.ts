import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage, StartupError } from '../shared/startup-error.js';
import { isHttpUpstream, type UpstreamSpec } from './upstream-config.js';

/** A connected upstream MCP server. */
export interface UpstreamConnection {
  readonly spec: UpstreamSpec;
  readonly client: Client;
  /** Every tool the upstream lists, all pages. */
  listAllTools(): Promise<Tool[]>;
  close(): Promise<void>;
}

/** Options for {@link connectUpstream}. */
export interface ConnectUpstreamOptions {
  /** Give up starting the upstream after this long. Default 30 s. */
  timeoutMs?: number;
  /** Where the child's stderr goes. Default `inherit` (our own stderr, never stdout). */
  stderr?: 'inherit' | 'ignore';
}

/**
 * Starts (stdio) or reaches (HTTP) one upstream, runs the MCP handshake and lists its tools once
 * to prove it works. Any failure is a {@link StartupError} naming the upstream.
 */
export async function connectUpstream(
  spec: UpstreamSpec,
  options: ConnectUpstreamOptions = {},
): Promise<UpstreamConnection> {
  const client = new Client({ name: 'countersign-mcp-proxy', version: '0.1.0' });
  const transport = isHttpUpstream(spec)
    ? new StreamableHTTPClientTransport(new URL(spec.url), {
        requestInit: spec.headers ? { headers: spec.headers } : undefined,
      })
    : new StdioClientTransport({
        command: spec.command,
        args: spec.args,
        env: { ...upstreamEnvironment(), ...spec.env },
        cwd: spec.cwd,
        stderr: options.stderr ?? 'inherit',
      });
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer after ${timeoutMs} ms`)), timeoutMs);
  });
  const connection = upstreamFromClient(spec, client);
  try {
    await Promise.race([client.connect(transport), timeout]);
    await Promise.race([connection.listAllTools(), timeout]);
  } catch (error) {
    await client.close().catch(() => {});
    const what = isHttpUpstream(spec) ? spec.url : [spec.command, ...spec.args].join(' ');
    throw new StartupError(
      'service_unavailable',
      `Upstream "${spec.name}" (${what}) failed to start: ${errorMessage(error)}`,
      error,
    );
  } finally {
    clearTimeout(timer);
  }
  return connection;
}

/** Wraps an MCP client that is already connected (for embedding and tests). */
export function upstreamFromClient(spec: UpstreamSpec, client: Client): UpstreamConnection {
  return {
    spec,
    client,
    async listAllTools() {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor === undefined ? undefined : { cursor });
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      return tools;
    },
    close: () => client.close(),
  };
}

/**
 * The environment a stdio upstream inherits: the proxy's own (so tokens set for the server in a
 * client config reach it), minus the Countersign credentials, which are the proxy's alone.
 */
export function upstreamEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('COUNTERSIGN_')) env[name] = value;
  }
  return env;
}

import {
  type CallToolResult,
  type Tool,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamSpec } from './upstream-config.js';
import {
  type ConnectUpstreamOptions,
  connectUpstream,
  type UpstreamConnection,
} from './upstream-connection.js';

/** Separates the upstream name from the tool name when several upstreams are proxied. */
export const TOOL_NAME_SEPARATOR = '__';

/** One tool as the proxy exposes it, and where it really lives. */
export interface ProxiedTool {
  /** The name the downstream client sees (`server__tool` with several upstreams). */
  exposedName: string;
  /** The upstream's own name for the tool. */
  upstreamName: string;
  upstream: UpstreamConnection;
  /** The upstream's listing, renamed to `exposedName`; schemas and annotations untouched. */
  tool: Tool;
}

/** The upstream servers behind one proxy, with a merged tool index. */
export class UpstreamSet {
  readonly #connections: UpstreamConnection[];
  #index = new Map<string, ProxiedTool>();
  readonly #listeners = new Set<() => void>();

  private constructor(connections: UpstreamConnection[]) {
    this.#connections = connections;
    for (const connection of connections) {
      connection.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        await this.refresh().catch(() => {});
        for (const listener of this.#listeners) listener();
      });
    }
  }

  /** Calls `listener` after any upstream changed its tool list; returns an unsubscribe function. */
  onToolsChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Connects every upstream (in parallel) and builds the tool index; closes all on any failure. */
  static async connect(
    specs: UpstreamSpec[],
    options: ConnectUpstreamOptions = {},
  ): Promise<UpstreamSet> {
    const settled = await Promise.allSettled(specs.map((spec) => connectUpstream(spec, options)));
    const connections = settled.flatMap((entry) =>
      entry.status === 'fulfilled' ? [entry.value] : [],
    );
    const failure = settled.find((entry) => entry.status === 'rejected');
    if (failure) {
      await Promise.allSettled(connections.map((connection) => connection.close()));
      throw failure.reason;
    }
    const set = new UpstreamSet(connections);
    await set.refresh();
    return set;
  }

  /** Builds a set over upstreams that are already connected (embedding, tests). */
  static async fromConnections(connections: UpstreamConnection[]): Promise<UpstreamSet> {
    const set = new UpstreamSet(connections);
    await set.refresh();
    return set;
  }

  /** The connected upstreams, in order. */
  connections(): readonly UpstreamConnection[] {
    return this.#connections;
  }

  /** True when tool names carry the `server__` prefix. */
  get prefixed(): boolean {
    return this.#connections.length > 1;
  }

  /** Lists every upstream's tools again and rebuilds the index. */
  async refresh(): Promise<ProxiedTool[]> {
    const lists = await Promise.all(this.#connections.map((c) => c.listAllTools()));
    const index = new Map<string, ProxiedTool>();
    lists.forEach((tools, position) => {
      const upstream = this.#connections[position]!;
      for (const tool of tools) {
        const exposedName = this.prefixed
          ? `${upstream.spec.name}${TOOL_NAME_SEPARATOR}${tool.name}`
          : tool.name;
        index.set(exposedName, {
          exposedName,
          upstreamName: tool.name,
          upstream,
          tool: { ...tool, name: exposedName },
        });
      }
    });
    this.#index = index;
    return [...index.values()];
  }

  /** Every proxied tool, as last listed. */
  tools(): ProxiedTool[] {
    return [...this.#index.values()];
  }

  /** The tool with this exposed name, refreshing the listing once if it is unknown. */
  async find(exposedName: string): Promise<ProxiedTool | undefined> {
    const known = this.#index.get(exposedName);
    if (known) return known;
    await this.refresh();
    return this.#index.get(exposedName);
  }

  /** Calls the upstream tool with exactly these arguments (and `meta` as the call's `_meta`). */
  async call(
    tool: ProxiedTool,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; meta?: Record<string, unknown> } = {},
  ): Promise<CallToolResult> {
    const result = await tool.upstream.client.callTool(
      {
        name: tool.upstreamName,
        arguments: args,
        ...(options.meta === undefined ? {} : { _meta: options.meta }),
      },
      undefined,
      { signal: options.signal, timeout: 10 * 60_000 },
    );
    return result as CallToolResult;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#connections.map((connection) => connection.close()));
  }
}

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type CompleteRequest,
  LoggingMessageNotificationSchema,
  type Prompt,
  PromptListChangedNotificationSchema,
  type Resource,
  ResourceListChangedNotificationSchema,
  type ResourceTemplate,
  ResourceUpdatedNotificationSchema,
  type ServerCapabilities,
  type ServerNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamConnection } from './upstream-connection.js';
import { TOOL_NAME_SEPARATOR } from './upstream-set.js';

type Listener = (notification: ServerNotification) => void;

/** Reads every page of a paginated list. */
async function allPages<T>(
  list: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < 10_000);
  return items;
}

/** `{name}` placeholders (RFC 6570 level 1-2) as a regular expression over whole URIs. */
function templatePattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\\?\{[^}]*\}/g, '.+')}$`);
}

/**
 * The upstreams' resources, resource templates, prompts, completions and logging, merged the way
 * tools are: prompt and resource names get the `server__` prefix when there are several upstreams;
 * URIs stay as they are and route to the upstream that lists them (or whose template matches).
 */
export class UpstreamCatalog {
  readonly #connections: readonly UpstreamConnection[];
  readonly #listeners = new Set<Listener>();
  #uriOwners = new Map<string, UpstreamConnection>();
  #templates: { pattern: RegExp; owner: UpstreamConnection }[] = [];
  #prompts = new Map<string, { owner: UpstreamConnection; name: string }>();

  constructor(connections: readonly UpstreamConnection[]) {
    this.#connections = connections;
    const forward = (notification: ServerNotification) => {
      for (const listener of this.#listeners) listener(notification);
    };
    for (const { client } of connections) {
      const caps = client.getServerCapabilities();
      if (caps?.resources) {
        client.setNotificationHandler(ResourceUpdatedNotificationSchema, forward);
        client.setNotificationHandler(ResourceListChangedNotificationSchema, forward);
      }
      if (caps?.prompts)
        client.setNotificationHandler(PromptListChangedNotificationSchema, forward);
      if (caps?.logging) client.setNotificationHandler(LoggingMessageNotificationSchema, forward);
    }
  }

  /** What the proxy can offer downstream besides tools: what at least one upstream has. */
  capabilities(): ServerCapabilities {
    const caps = this.#connections.map((c) => c.client.getServerCapabilities() ?? {});
    return {
      ...(caps.some((c) => c.resources)
        ? {
            resources: {
              listChanged: true,
              ...(caps.some((c) => c.resources?.subscribe) ? { subscribe: true } : {}),
            },
          }
        : {}),
      ...(caps.some((c) => c.prompts) ? { prompts: { listChanged: true } } : {}),
      ...(caps.some((c) => c.completions) ? { completions: {} } : {}),
      ...(caps.some((c) => c.logging) ? { logging: {} } : {}),
    };
  }

  /** Upstream resource and prompt changes and log messages; returns an unsubscribe function. */
  onNotification(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #with(capability: keyof ServerCapabilities): UpstreamConnection[] {
    return this.#connections.filter((c) => c.client.getServerCapabilities()?.[capability]);
  }

  #exposed(owner: UpstreamConnection, name: string): string {
    return this.#connections.length > 1 ? `${owner.spec.name}${TOOL_NAME_SEPARATOR}${name}` : name;
  }

  async listResources(): Promise<Resource[]> {
    const owners = new Map<string, UpstreamConnection>();
    const lists = await Promise.all(
      this.#with('resources').map(async (owner) => {
        const resources = await allPages(async (cursor) => {
          const page = await owner.client.listResources(cursor ? { cursor } : undefined);
          return { items: page.resources, nextCursor: page.nextCursor };
        });
        return resources.map((resource) => {
          owners.set(resource.uri, owner);
          return { ...resource, name: this.#exposed(owner, resource.name) };
        });
      }),
    );
    this.#uriOwners = owners;
    return lists.flat();
  }

  async listResourceTemplates(): Promise<ResourceTemplate[]> {
    const templates: { pattern: RegExp; owner: UpstreamConnection }[] = [];
    const lists = await Promise.all(
      this.#with('resources').map(async (owner) => {
        const list = await allPages(async (cursor) => {
          const page = await owner.client.listResourceTemplates(cursor ? { cursor } : undefined);
          return { items: page.resourceTemplates, nextCursor: page.nextCursor };
        });
        return list.map((template) => {
          templates.push({ pattern: templatePattern(template.uriTemplate), owner });
          return { ...template, name: this.#exposed(owner, template.name) };
        });
      }),
    );
    this.#templates = templates;
    return lists.flat();
  }

  /** The upstream serving `uri`: the one that lists it, else the one whose template matches. */
  async ownerOf(uri: string): Promise<Client | undefined> {
    const withResources = this.#with('resources');
    if (withResources.length === 1) return withResources[0]!.client;
    const find = () =>
      this.#uriOwners.get(uri) ?? this.#templates.find((t) => t.pattern.test(uri))?.owner;
    let owner = find();
    if (!owner) {
      await Promise.all([this.listResources(), this.listResourceTemplates()]);
      owner = find();
    }
    return owner?.client;
  }

  async listPrompts(): Promise<Prompt[]> {
    const index = new Map<string, { owner: UpstreamConnection; name: string }>();
    const lists = await Promise.all(
      this.#with('prompts').map(async (owner) => {
        const prompts = await allPages(async (cursor) => {
          const page = await owner.client.listPrompts(cursor ? { cursor } : undefined);
          return { items: page.prompts, nextCursor: page.nextCursor };
        });
        return prompts.map((prompt) => {
          const exposed = this.#exposed(owner, prompt.name);
          index.set(exposed, { owner, name: prompt.name });
          return { ...prompt, name: exposed };
        });
      }),
    );
    this.#prompts = index;
    return lists.flat();
  }

  /** The upstream and its own name for the prompt the client calls `exposed`. */
  async prompt(exposed: string): Promise<{ client: Client; name: string } | undefined> {
    if (!this.#prompts.has(exposed)) await this.listPrompts();
    const found = this.#prompts.get(exposed);
    return found && { client: found.owner.client, name: found.name };
  }

  /** Routes `completion/complete` by its prompt name or resource URI. */
  async completionTarget(
    ref: CompleteRequest['params']['ref'],
  ): Promise<{ client: Client; ref: CompleteRequest['params']['ref'] } | undefined> {
    if (ref.type === 'ref/prompt') {
      const found = await this.prompt(ref.name);
      return found && { client: found.client, ref: { ...ref, name: found.name } };
    }
    if (this.#templates.length === 0) await this.listResourceTemplates();
    const client = await this.ownerOf(ref.uri);
    return client && { client, ref };
  }

  /** The upstreams that log, for `logging/setLevel`. */
  loggers(): Client[] {
    return this.#with('logging').map((c) => c.client);
  }
}

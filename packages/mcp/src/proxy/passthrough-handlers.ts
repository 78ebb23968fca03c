import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type ServerNotification,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import {
  APPROVAL_CARD_URI,
  approvalCardResource,
  readApprovalCard,
} from '../card/approval-card.js';
import type { UpstreamCatalog } from '../upstream/upstream-catalog.js';
import type { ReadGate } from './read-gate.js';

function unknown(what: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `${what} is not offered by any upstream`);
}

/**
 * Serves the upstreams' resources, templates, subscriptions, prompts, completions and logging on
 * one downstream connection, as far as `catalog.capabilities()` declared them. `resources/read`
 * and `prompts/get` pass the read gate first. Returns a function that stops the forwarding.
 */
export function servePassthrough(
  server: Server,
  catalog: UpstreamCatalog,
  gate: ReadGate,
): () => void {
  const caps = catalog.capabilities();
  const subscribed = new Set<string>();
  const client = () => server.getClientVersion()?.name;
  const upstreamResources = caps.resources !== undefined;
  // The proxy always has one resource of its own: the approval card (an MCP App).
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: [approvalCardResource, ...(upstreamResources ? await catalog.listResources() : [])],
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: upstreamResources ? await catalog.listResourceTemplates() : [],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const { uri } = request.params;
    if (uri === APPROVAL_CARD_URI) return readApprovalCard();
    if (!upstreamResources) throw unknown(`Resource ${uri}`);
    const admitted = await gate.admit('resources/read', { uri }, extra.signal, client());
    const target = typeof admitted.uri === 'string' ? admitted.uri : uri;
    const owner = await catalog.ownerOf(target);
    if (!owner) throw unknown(`Resource ${target}`);
    return owner.readResource({ uri: target }, { signal: extra.signal });
  });
  if (caps.resources?.subscribe) {
    server.setRequestHandler(SubscribeRequestSchema, async (request, extra) => {
      const owner = await catalog.ownerOf(request.params.uri);
      if (!owner) throw unknown(`Resource ${request.params.uri}`);
      await owner.subscribeResource({ uri: request.params.uri }, { signal: extra.signal });
      subscribed.add(request.params.uri);
      return {};
    });
    server.setRequestHandler(UnsubscribeRequestSchema, async (request, extra) => {
      subscribed.delete(request.params.uri);
      const owner = await catalog.ownerOf(request.params.uri);
      await owner?.unsubscribeResource({ uri: request.params.uri }, { signal: extra.signal });
      return {};
    });
  }
  if (caps.prompts) {
    server.setRequestHandler(ListPromptsRequestSchema, async () => ({
      prompts: await catalog.listPrompts(),
    }));
    server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
      const { name, arguments: args } = request.params;
      const admitted = await gate.admit(
        'prompts/get',
        { name, ...(args ? { arguments: args } : {}) },
        extra.signal,
        client(),
      );
      const found = await catalog.prompt(name);
      if (!found) throw unknown(`Prompt ${name}`);
      const approvedArgs = admitted.arguments as Record<string, string> | undefined;
      return found.client.getPrompt(
        { name: found.name, ...(approvedArgs ? { arguments: approvedArgs } : {}) },
        { signal: extra.signal },
      );
    });
  }
  if (caps.completions) {
    server.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
      const target = await catalog.completionTarget(request.params.ref);
      if (!target) return { completion: { values: [] } };
      return target.client.complete(
        { ...request.params, ref: target.ref },
        { signal: extra.signal },
      );
    });
  }
  if (caps.logging) {
    server.setRequestHandler(SetLevelRequestSchema, async (request, extra) => {
      await Promise.all(
        catalog
          .loggers()
          .map((upstream) =>
            upstream.setLoggingLevel(request.params.level, { signal: extra.signal }),
          ),
      );
      return {};
    });
  }
  return catalog.onNotification((notification: ServerNotification) => {
    if (
      notification.method === 'notifications/resources/updated' &&
      !subscribed.has(notification.params.uri)
    ) {
      return;
    }
    // A client that went away cannot be told; its session ends on its own.
    server.notification(notification).catch(() => {});
  });
}

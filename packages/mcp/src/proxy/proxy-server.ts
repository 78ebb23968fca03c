import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  CancelTaskRequestSchema,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { CARD_TOOL_META } from '../card/approval-card.js';
import {
  CARD_CONFIRM_TOOL,
  cardConfirmTool,
  MCP_APPS_EXTENSION,
} from '../card/card-confirmations.js';
import { silentLogger } from '../shared/logger.js';
import { ProxyTasks } from '../tasks/proxy-tasks.js';
import { UpstreamCatalog } from '../upstream/upstream-catalog.js';
import { GatedCallRunner } from './gated-call-runner.js';
import { servePassthrough } from './passthrough-handlers.js';
import { type ProxyOptions, resolveProxyOptions } from './proxy-options.js';
import { ReadGate } from './read-gate.js';
import { inToolCallSpan } from './tool-call-span.js';
import { textResult } from './tool-results.js';

/** The name of the tool the proxy adds to re-attach to a pending approval. */
export const CHECK_REQUEST_TOOL = 'check_request';

/** The proxy's own `check_request` tool, as listed to the model. */
export const checkRequestTool: Tool = {
  name: CHECK_REQUEST_TOOL,
  title: 'Check a pending approval',
  description:
    'Checks a Countersign approval request that an earlier tool call reported as pending. ' +
    'Once a human approved it, the original call runs (exactly once) and its result is returned; ' +
    'if it is still pending, says so again.',
  inputSchema: {
    type: 'object',
    properties: {
      request_id: { type: 'string', description: 'The request id from the pending result.' },
    },
    required: ['request_id'],
  },
  annotations: { title: 'Check a pending approval', idempotentHint: true, openWorldHint: false },
};

/** `countersign_confirm`: the approval card's answer to a call waiting for this client's user. */
function answerFromCard(
  runner: GatedCallRunner,
  server: Server,
  args: Record<string, unknown>,
): CallToolResult {
  const { tool, arguments: callArgs, approve, reason } = args;
  if (typeof tool !== 'string' || typeof approve !== 'boolean' || typeof callArgs !== 'object') {
    return textResult(`${CARD_CONFIRM_TOOL} needs "tool", "arguments" and "approve".`, true);
  }
  const answered = runner.cardConfirmations.answer(
    server,
    tool,
    callArgs,
    approve,
    typeof reason === 'string' ? reason : undefined,
  );
  return answered
    ? textResult(approve ? `Approved ${tool}.` : `Rejected ${tool}.`)
    : textResult(
        `No call of ${tool} with these arguments waits for you here; it is decided on the Countersign server (dashboard).`,
        true,
      );
}

/** A factory of downstream servers, one per client connection, sharing one gate and store. */
export interface ProxyServerFactory {
  (): Server;
  /** Stops the MCP tasks this proxy drives; a restarted proxy resumes them on `tasks/get`. */
  stopTasks(): void;
}

/**
 * Builds the gating proxy: every downstream connection gets its own low-level MCP `Server` that
 * lists the upstream tools unchanged (plus `check_request`) and runs each `tools/call` through
 * the gate. The upstreams, the gate and the pending-call store are shared.
 */
export function createProxyServerFactory(proxyOptions: ProxyOptions): ProxyServerFactory {
  const options = resolveProxyOptions(proxyOptions);
  const runner = new GatedCallRunner(options);
  const logger = options.logger;
  const tasks = new ProxyTasks({
    runner,
    store: options.store,
    runId: runner.runId,
    logger: logger ?? silentLogger,
    requests: options.requests ?? options.service,
  });
  const catalog = new UpstreamCatalog(options.upstreams.connections());
  const readGate = new ReadGate(options, runner.runId);
  let warnedShadow = false;
  const factory = () => {
    const server = new Server(
      { name: 'countersign-mcp-proxy', version: '0.1.0' },
      {
        capabilities: {
          ...catalog.capabilities(),
          // The approval card is a resource even when no upstream has any.
          resources: { listChanged: true, ...catalog.capabilities().resources },
          tools: { listChanged: true },
          // Task-augmented tools/call: a call that waits for a human becomes a task.
          tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
        },
        instructions:
          'Some tools need a human approval through Countersign. When a result says the request is ' +
          'pending, call check_request with its request id later instead of calling the tool again.',
      },
    );
    const unsubscribe = options.upstreams.onToolsChanged(() => {
      server.sendToolListChanged().catch(() => {});
    });
    const stopPassthrough = servePassthrough(server, catalog, readGate);
    const closing = server.onclose;
    server.onclose = () => {
      unsubscribe();
      stopPassthrough();
      tasks.forget(server);
      closing?.();
    };
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      const tools = (await options.upstreams.refresh()).map((entry) => entry.tool);
      const visible = tools.filter((tool) => tool.name !== CHECK_REQUEST_TOOL);
      if (visible.length !== tools.length && !warnedShadow) {
        warnedShadow = true;
        logger?.warn(`the upstream tool "${CHECK_REQUEST_TOOL}" is hidden by the proxy's own`);
      }
      // The proxy runs every tool as a task on request, whatever the upstream supports.
      const listed = visible.map((tool) => ({
        ...tool,
        execution: { ...tool.execution, taskSupport: 'optional' as const },
        // MCP Apps hosts show the approval card with the results of tools that may wait.
        ...(tool.annotations?.readOnlyHint || tool._meta?.ui
          ? {}
          : { _meta: { ...tool._meta, ...CARD_TOOL_META } }),
      }));
      // The card's own tool only for clients that render MCP Apps (the model never calls it).
      const apps = server.getClientCapabilities()?.extensions?.[MCP_APPS_EXTENSION] !== undefined;
      return { tools: [...listed, checkRequestTool, ...(apps ? [cardConfirmTool] : [])] };
    });
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const { name, arguments: args = {}, _meta: meta } = request.params;
      return inToolCallSpan(
        name,
        meta,
        async () => {
          if (name === CHECK_REQUEST_TOOL) {
            const requestId = args.request_id;
            if (typeof requestId !== 'string' || requestId.length === 0) {
              return textResult('check_request needs a "request_id" string.', true);
            }
            return runner.checkRequest(requestId, extra, server);
          }
          if (name === CARD_CONFIRM_TOOL) return answerFromCard(runner, server, args);
          const task = request.params.task;
          if (task) return tasks.create(name, args, task.ttl, server);
          return runner.call(name, args, extra, server);
        },
        logger,
      );
    });
    server.setRequestHandler(GetTaskRequestSchema, (request) =>
      tasks.get(request.params.taskId, server),
    );
    server.setRequestHandler(GetTaskPayloadRequestSchema, (request, extra) =>
      tasks.result(request.params.taskId, server, extra.signal),
    );
    server.setRequestHandler(ListTasksRequestSchema, () => ({ tasks: tasks.list(server) }));
    server.setRequestHandler(CancelTaskRequestSchema, (request) =>
      tasks.cancel(request.params.taskId),
    );
    return server;
  };
  return Object.assign(factory, { stopTasks: () => tasks.stop() });
}

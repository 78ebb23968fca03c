import type { CreateRequestInput } from '@countersign/core';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  CancelTaskRequestSchema,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { HumanTasks } from '../tasks/human-tasks.js';

/** What {@link serveHumanTasks} answers from. */
export interface HumanToolCalls {
  registered: Map<string, RegisteredTool>;
  /** The request each asking tool creates (or why it cannot). */
  bodies: Record<string, (input: Record<string, unknown>) => CreateRequestInput | CallToolResult>;
  tasks: HumanTasks;
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/**
 * Takes over `tools/call` of the human-tools server so a task-augmented call of an asking tool
 * creates the request and answers with its task, and serves the `tasks/*` methods. Plain calls
 * run the registered callbacks exactly as the SDK's McpServer would, after the same input check.
 */
export function serveHumanTasks(server: Server, calls: HumanToolCalls): void {
  const closing = new AbortController();
  const previous = server.onclose;
  server.onclose = () => {
    closing.abort();
    previous?.();
  };
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args = {} } = request.params;
    const tool = calls.registered.get(name);
    if (!tool) return errorResult(`Tool ${name} not found`);
    const parsed = await (tool.inputSchema as z.ZodType).safeParseAsync(args);
    if (!parsed.success) {
      return errorResult(
        `Input validation error: Invalid arguments for tool ${name}: ${parsed.error.message}`,
      );
    }
    const input = parsed.data as Record<string, unknown>;
    const toBody = calls.bodies[name];
    if (request.params.task && toBody) {
      const body = toBody(input);
      if ('content' in body) return body;
      return calls.tasks.create(body, server, closing.signal);
    }
    const handler = tool.handler as (
      input: unknown,
      extra: unknown,
    ) => CallToolResult | Promise<CallToolResult>;
    return handler(input, extra);
  });
  server.setRequestHandler(GetTaskRequestSchema, (request, extra) =>
    calls.tasks.get(request.params.taskId, extra.signal),
  );
  server.setRequestHandler(GetTaskPayloadRequestSchema, (request, extra) =>
    calls.tasks.result(request.params.taskId, extra.signal),
  );
  server.setRequestHandler(ListTasksRequestSchema, async (_request, extra) => ({
    tasks: await calls.tasks.list(server, extra.signal),
  }));
  server.setRequestHandler(CancelTaskRequestSchema, (request, extra) =>
    calls.tasks.cancel(request.params.taskId, extra.signal),
  );
}

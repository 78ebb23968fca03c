import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type CallToolResult,
  CallToolResultSchema,
  type ClientCapabilities,
  CreateTaskResultSchema,
  type GetTaskResult,
} from '@modelcontextprotocol/sdk/types.js';

/** The capabilities a client that works with tasks declares. */
export const TASK_CLIENT_CAPABILITIES: ClientCapabilities = { tasks: { list: {}, cancel: {} } };

/** Sends a task-augmented `tools/call` through the SDK's own request API; returns the task. */
export async function createTask(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  ttl = 600_000,
) {
  const created = await client.request(
    { method: 'tools/call', params: { name, arguments: args } },
    CreateTaskResultSchema,
    { task: { ttl } },
  );
  return created.task;
}

/** Polls `tasks/get` until `predicate` holds (the server works on the task in the background). */
export async function taskUntil(
  client: Client,
  taskId: string,
  predicate: (task: GetTaskResult) => boolean,
  timeoutMs = 20_000,
): Promise<GetTaskResult> {
  const deadline = Date.now() + timeoutMs;
  let last: GetTaskResult | undefined;
  while (Date.now() < deadline) {
    last = await client.experimental.tasks.getTask(taskId);
    if (predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`task ${taskId} never reached the expected state: ${JSON.stringify(last)}`);
}

/** `tasks/result` as a tool result. */
export function taskResult(client: Client, taskId: string): Promise<CallToolResult> {
  return client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
}

/** The text parts of a tool result. */
export function resultText(result: unknown): string {
  return (result as CallToolResult).content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n');
}

import type { CallToolResult, Task } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** An MCP task the proxy answered a task-augmented `tools/call` with. */
export interface ProxyTaskRecord {
  taskId: string;
  /** The tool name the model called (the exposed, possibly prefixed name). */
  toolName: string;
  args: Record<string, unknown>;
  /** With `runId`, re-derives the gate's idempotency key, so a resumed task re-attaches to its request. */
  toolCallId: string;
  runId: string;
  status: Task['status'];
  statusMessage?: string;
  /** The Countersign request, once the gate created one. */
  requestId?: string;
  /** Set before an allowed call (no request) reaches the upstream: never started twice. */
  forwarding?: boolean;
  /** Milliseconds from `createdAt` after which the task may be forgotten; null keeps it. */
  ttl: number | null;
  pollInterval: number;
  createdAt: string;
  lastUpdatedAt: string;
  result?: CallToolResult;
}

export const taskRecordSchema = z.object({
  taskId: z.string().min(1),
  toolName: z.string().min(1),
  args: z.record(z.string(), z.unknown()),
  toolCallId: z.string().min(1),
  runId: z.string().min(1),
  status: z.enum(['working', 'input_required', 'completed', 'failed', 'cancelled']),
  statusMessage: z.string().optional(),
  requestId: z.string().optional(),
  forwarding: z.boolean().optional(),
  ttl: z.number().nullable(),
  pollInterval: z.number(),
  createdAt: z.string(),
  lastUpdatedAt: z.string(),
  result: z.looseObject({ content: z.array(z.unknown()) }).optional(),
});

/** True once the task cannot change any more. */
export function isTerminalStatus(status: Task['status']): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** True when the task outlived its TTL and may be dropped. */
export function isExpiredTask(record: ProxyTaskRecord, now = Date.now()): boolean {
  return record.ttl !== null && Date.parse(record.createdAt) + record.ttl < now;
}

/** The task as the protocol shows it (`tasks/get`, `notifications/tasks/status`). */
export function taskView(record: ProxyTaskRecord): Task {
  return {
    taskId: record.taskId,
    status: record.status,
    ttl: record.ttl,
    createdAt: record.createdAt,
    lastUpdatedAt: record.lastUpdatedAt,
    pollInterval: record.pollInterval,
    ...(record.statusMessage === undefined ? {} : { statusMessage: record.statusMessage }),
  };
}

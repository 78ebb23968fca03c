import { randomUUID } from 'node:crypto';
import type { ApprovalRequest, ApprovalService } from '@countersign/core';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  type CallToolResult,
  type CreateTaskResult,
  ErrorCode,
  McpError,
  RELATED_TASK_META_KEY,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import type { GatedCallRunner } from '../proxy/gated-call-runner.js';
import type { PendingCallStore } from '../proxy/pending-call-store.js';
import { textResult } from '../proxy/tool-results.js';
import type { Logger } from '../shared/logger.js';
import { errorMessage } from '../shared/startup-error.js';
import { pendingStatusMessage, TASK_POLL_INTERVAL_MS, ttlForRequest } from './pending-status.js';
import { isTerminalStatus, type ProxyTaskRecord, taskView } from './proxy-task-record.js';
import { TaskWatchers } from './task-watchers.js';

/** What {@link ProxyTasks} needs around it. */
export interface ProxyTasksOptions {
  runner: GatedCallRunner;
  store: PendingCallStore;
  runId: string;
  logger: Logger;
  /** Withdraws the Countersign request of a cancelled task; without it only the task ends. */
  requests?: Pick<ApprovalService, 'cancel'> | undefined;
}

/**
 * The proxy's MCP tasks: a task-augmented `tools/call` becomes a task whose state lives in the
 * pending-call store (so a restarted proxy still answers for it), driven to its end by the gated
 * call runner. Execution stays exactly-once: the runner claims each approved request in the store,
 * whichever of a task, `check_request` or a restart gets there first.
 */
export class ProxyTasks {
  readonly #options: ProxyTasksOptions;
  readonly #drivers = new Map<string, AbortController>();
  readonly #watchers = new TaskWatchers();

  constructor(options: ProxyTasksOptions) {
    this.#options = options;
  }

  /** Answers a task-augmented `tools/call`: the task, already on its way. */
  async create(
    toolName: string,
    args: Record<string, unknown>,
    requestedTtl: number | undefined,
    server: Server,
  ): Promise<CreateTaskResult> {
    const taskId = randomUUID();
    const now = new Date().toISOString();
    const { task, persisted } = this.#options.store.saveTask(taskId, {
      toolName,
      args,
      toolCallId: taskId,
      runId: this.#options.runId,
      status: 'working',
      statusMessage: `Checking the policy for ${toolName}.`,
      ttl: requestedTtl ?? null,
      pollInterval: TASK_POLL_INTERVAL_MS,
      createdAt: now,
    });
    await persisted.catch((error) => this.#saveFailed(taskId, error));
    this.#watchers.listen(taskId, server);
    this.#drive(task, server);
    return { task: taskView(task) };
  }

  /** `tasks/get`; resumes a task this process has not driven yet (after a restart). */
  get(taskId: string, server: Server): Task {
    const task = this.#find(taskId);
    this.#watchers.listen(taskId, server);
    this.#drive(task, server);
    return taskView(task);
  }

  /** `tasks/result`: waits until the task is done, then its tool result. */
  async result(taskId: string, server: Server, signal: AbortSignal): Promise<CallToolResult> {
    let task = this.#find(taskId);
    this.#watchers.listen(taskId, server);
    this.#drive(task, server);
    while (!isTerminalStatus(task.status)) {
      await this.#watchers.untilChanged(taskId, signal);
      task = this.#find(taskId);
    }
    const result = task.result ?? textResult(task.statusMessage ?? `Task ${taskId} ended.`, true);
    return { ...result, _meta: { ...result._meta, [RELATED_TASK_META_KEY]: { taskId } } };
  }

  /** `tasks/list`: the tasks this connection created or looked at. */
  list(server: Server): Task[] {
    return this.#watchers
      .tasksOf(server)
      .map((taskId) => this.#options.store.getTask(taskId))
      .filter((task): task is ProxyTaskRecord => task !== undefined)
      .map(taskView);
  }

  /** Stops driving every task (the proxy shuts down); each resumes on its next `tasks/get`. */
  stop(): void {
    for (const controller of this.#drivers.values()) controller.abort();
  }

  /** Forgets a closed connection (no more notifications to it). */
  forget(server: Server): void {
    this.#watchers.forget(server);
  }

  /** `tasks/cancel`: ends the task and withdraws its Countersign request. */
  async cancel(taskId: string): Promise<Task> {
    const task = this.#find(taskId);
    if (isTerminalStatus(task.status)) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Cannot cancel task ${taskId}: it is already ${task.status}`,
      );
    }
    const call = task.requestId ? this.#options.store.get(task.requestId) : undefined;
    if (task.forwarding || (call && call.state !== 'pending')) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Cannot cancel task ${taskId}: ${task.toolName} was approved and already runs`,
      );
    }
    const message = `Cancelled by the client; ${task.toolName} did not run.`;
    const cancelled = await this.#update(taskId, {
      status: 'cancelled',
      statusMessage: message,
      result: textResult(message, true),
    });
    this.#drivers.get(taskId)?.abort();
    if (task.requestId) await this.#withdraw(task.requestId);
    return taskView(cancelled);
  }

  #find(taskId: string): ProxyTaskRecord {
    const task = this.#options.store.getTask(taskId);
    if (!task) throw new McpError(ErrorCode.InvalidParams, `Task not found: ${taskId}`);
    return task;
  }

  #drive(task: ProxyTaskRecord, server: Server): void {
    if (isTerminalStatus(task.status) || this.#drivers.has(task.taskId)) return;
    const controller = new AbortController();
    this.#drivers.set(task.taskId, controller);
    void this.#run(task, server, controller.signal)
      .catch((error) => this.#options.logger.error(`task ${task.taskId}: ${errorMessage(error)}`))
      .finally(() => this.#drivers.delete(task.taskId));
  }

  async #run(task: ProxyTaskRecord, server: Server, signal: AbortSignal): Promise<void> {
    const { taskId } = task;
    let result: CallToolResult;
    if (task.forwarding) {
      result = textResult(
        `${task.toolName} was handed to the upstream before the proxy restarted; its outcome is ` +
          'unknown and it is not run again. Check the target system before retrying.',
        true,
      );
    } else {
      result = await this.#options.runner.settleTask({ ...task, signal }, server, {
        onPending: (request) => this.#pending(taskId, request).then(() => {}),
        onAskingClient: (asking) => {
          void this.#update(taskId, {
            status: asking ? 'input_required' : 'working',
            statusMessage: asking
              ? `Waiting for your confirmation of ${task.toolName} in the client.`
              : `Checking ${task.toolName}.`,
          });
        },
        beforeForward: () => this.#update(taskId, { forwarding: true }).then(() => {}),
      });
    }
    // Cancelled (already recorded) or stopped: a stopped task resumes on the next tasks/get.
    if (signal.aborted) return;
    const now = this.#options.store.getTask(taskId);
    if (!now || isTerminalStatus(now.status)) return;
    const elapsed = Date.now() - Date.parse(now.createdAt);
    const keep = elapsed + 60 * 60_000;
    await this.#update(taskId, {
      status: 'completed',
      statusMessage: result.isError
        ? `${task.toolName} did not complete; the result says why.`
        : `${task.toolName} ran; the result is ready.`,
      result,
      ttl: now.ttl === null ? keep : Math.max(now.ttl, keep),
    });
  }

  #pending(taskId: string, request: ApprovalRequest): Promise<ProxyTaskRecord> {
    const task = this.#find(taskId);
    return this.#update(taskId, {
      status: 'working',
      requestId: request.id,
      statusMessage: pendingStatusMessage(task.toolName, request),
      ttl: ttlForRequest(task.createdAt, request, task.ttl),
    });
  }

  /** Saves a change; tells the listening clients when the status or its message changed. */
  async #update(taskId: string, change: Partial<ProxyTaskRecord>): Promise<ProxyTaskRecord> {
    const before = this.#options.store.getTask(taskId);
    const { task, persisted } = this.#options.store.saveTask(taskId, change);
    await persisted.catch((error) => this.#saveFailed(taskId, error));
    if (before?.status !== task.status || before?.statusMessage !== task.statusMessage) {
      this.#watchers.changed(taskView(task));
    }
    return task;
  }

  async #withdraw(requestId: string): Promise<void> {
    const requests = this.#options.requests;
    if (!requests) {
      this.#options.logger.warn(`task cancelled; request ${requestId} stays open (no service)`);
      return;
    }
    try {
      await requests.cancel(requestId, { reason: 'The MCP client cancelled the task.' });
    } catch (error) {
      this.#options.logger.warn(`cannot cancel request ${requestId}: ${errorMessage(error)}`);
    }
  }

  #saveFailed(taskId: string, error: unknown): void {
    this.#options.logger.error(`cannot save task ${taskId}: ${errorMessage(error)}`);
  }
}

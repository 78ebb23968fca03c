import type { ApprovalRequest, ApprovalService, CreateRequestInput } from '@countersign/core';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  type CallToolResult,
  type CreateTaskResult,
  ErrorCode,
  McpError,
  RELATED_TASK_META_KEY,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { reportRequest } from '../human-tools/request-report.js';
import type { ApprovalPageOffer } from '../shared/approval-page.js';
import { errorMessage } from '../shared/startup-error.js';
import { pendingStatusMessage, TASK_POLL_INTERVAL_MS, ttlForRequest } from './pending-status.js';

/** The human-tools request kinds a task can stand for. */
const TASK_KINDS = new Set(['approval', 'clarification', 'form']);

/**
 * MCP tasks for the `serve` mode: the task is the Countersign request itself (the task id is the
 * request id), so every answer comes from the server and a restarted `serve` still knows it.
 */
export class HumanTasks {
  readonly #service: ApprovalService;
  readonly #pages: ApprovalPageOffer;
  readonly #created = new WeakMap<Server, Set<string>>();

  readonly #publicUrl: string | undefined;

  constructor(service: ApprovalService, pages: ApprovalPageOffer, publicUrl?: string) {
    this.#service = service;
    this.#pages = pages;
    this.#publicUrl = publicUrl;
  }

  /** Creates the request and answers with its task; `notifications/tasks/status` follows on decision. */
  async create(
    body: CreateRequestInput,
    server: Server,
    closed: AbortSignal,
  ): Promise<CreateTaskResult> {
    let request: ApprovalRequest;
    try {
      request = await this.#service.create(body, { signal: closed });
    } catch (error) {
      throw new McpError(
        ErrorCode.InternalError,
        `Creating the request failed, nobody was asked: ${errorMessage(error)}`,
      );
    }
    let ids = this.#created.get(server);
    if (!ids) {
      ids = new Set();
      this.#created.set(server, ids);
    }
    ids.add(request.id);
    this.#pages.offer(server, request.id, `"${body.action}"`);
    void this.#service
      .wait(request.id, { signal: closed })
      .then((decided) => {
        this.#pages.complete(server, request.id);
        return server.notification({
          method: 'notifications/tasks/status',
          params: taskOf(decided),
        });
      })
      // The connection closed or the server went away: tasks/get still answers.
      .catch(() => {});
    return { task: taskOf(request) };
  }

  async get(taskId: string, signal: AbortSignal): Promise<Task> {
    return taskOf(await this.#find(taskId, signal));
  }

  /** `tasks/result`: waits for the decision, then the same result a plain call gives. */
  async result(taskId: string, signal: AbortSignal): Promise<CallToolResult> {
    await this.#find(taskId, signal);
    let decided: ApprovalRequest;
    try {
      decided = await this.#service.wait(taskId, { signal });
    } catch (error) {
      throw new McpError(
        ErrorCode.InternalError,
        `Cannot get request ${taskId}: ${errorMessage(error)}`,
      );
    }
    const result = reportRequest(decided, this.#publicUrl);
    return { ...result, _meta: { ...result._meta, [RELATED_TASK_META_KEY]: { taskId } } };
  }

  /** `tasks/cancel`: withdraws the request (it becomes `cancelled`, never a rejection). */
  async cancel(taskId: string, signal: AbortSignal): Promise<Task> {
    const request = await this.#find(taskId, signal);
    if (request.status !== 'pending') {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Cannot cancel task ${taskId}: the request is already ${request.status}`,
      );
    }
    try {
      const cancelled = await this.#service.cancel(taskId, {
        reason: 'The MCP client cancelled the task.',
      });
      return taskOf(cancelled);
    } catch (error) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Cannot cancel task ${taskId}: ${errorMessage(error)}`,
      );
    }
  }

  /** `tasks/list`: the tasks this connection created. */
  async list(server: Server, signal: AbortSignal): Promise<Task[]> {
    const ids = [...(this.#created.get(server) ?? [])].slice(-50);
    const found = await Promise.allSettled(ids.map((id) => this.#find(id, signal)));
    return found.flatMap((entry) => (entry.status === 'fulfilled' ? [taskOf(entry.value)] : []));
  }

  async #find(taskId: string, signal: AbortSignal): Promise<ApprovalRequest> {
    let request: ApprovalRequest;
    try {
      request = await this.#service.get(taskId, { signal });
    } catch {
      throw new McpError(ErrorCode.InvalidParams, `Task not found: ${taskId}`);
    }
    if (!TASK_KINDS.has(request.kind)) {
      throw new McpError(ErrorCode.InvalidParams, `Task not found: ${taskId}`);
    }
    return request;
  }
}

/** A Countersign request as the task standing for it. */
export function taskOf(request: ApprovalRequest): Task {
  const status =
    request.status === 'pending'
      ? 'working'
      : request.status === 'cancelled'
        ? 'cancelled'
        : 'completed';
  const what = request.question ? `the question "${request.question}"` : `"${request.action}"`;
  return {
    taskId: request.id,
    status,
    ttl: ttlForRequest(request.createdAt, request, null),
    createdAt: request.createdAt,
    lastUpdatedAt: request.updatedAt,
    pollInterval: TASK_POLL_INTERVAL_MS,
    statusMessage:
      request.status === 'pending'
        ? pendingStatusMessage(what, request)
        : `Request ${request.id} is ${request.status}; tasks/result has the outcome.`,
  };
}

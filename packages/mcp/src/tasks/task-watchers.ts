import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError, type Task } from '@modelcontextprotocol/sdk/types.js';

/**
 * Who hears about a task: the connections that created or looked at it get
 * `notifications/tasks/status` on every change, and `tasks/result` calls wait here for one.
 */
export class TaskWatchers {
  readonly #servers = new Map<string, Set<Server>>();
  readonly #tasksOf = new WeakMap<Server, Set<string>>();
  readonly #waiters = new Map<string, Set<() => void>>();

  listen(taskId: string, server: Server): void {
    let servers = this.#servers.get(taskId);
    if (!servers) {
      servers = new Set();
      this.#servers.set(taskId, servers);
    }
    servers.add(server);
    let tasks = this.#tasksOf.get(server);
    if (!tasks) {
      tasks = new Set();
      this.#tasksOf.set(server, tasks);
    }
    tasks.add(taskId);
  }

  /** Forgets a closed connection. */
  forget(server: Server): void {
    for (const taskId of this.#tasksOf.get(server) ?? []) this.#servers.get(taskId)?.delete(server);
    this.#tasksOf.delete(server);
  }

  tasksOf(server: Server): string[] {
    return [...(this.#tasksOf.get(server) ?? [])];
  }

  /** Tells every listening connection and wakes every waiter. */
  changed(task: Task): void {
    for (const server of this.#servers.get(task.taskId) ?? []) {
      server
        .notification({ method: 'notifications/tasks/status', params: task })
        // A client that went away cannot be told; it can still ask with tasks/get.
        .catch(() => this.#servers.get(task.taskId)?.delete(server));
    }
    const waiters = this.#waiters.get(task.taskId);
    this.#waiters.delete(task.taskId);
    for (const wake of waiters ?? []) wake();
  }

  /** Resolves on the next change of the task; rejects when `signal` aborts. */
  untilChanged(taskId: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(new McpError(ErrorCode.ConnectionClosed, 'tasks/result was cancelled'));
        return;
      }
      let waiters = this.#waiters.get(taskId);
      if (!waiters) {
        waiters = new Set();
        this.#waiters.set(taskId, waiters);
      }
      const onAbort = () => {
        waiters.delete(wake);
        reject(new McpError(ErrorCode.ConnectionClosed, 'tasks/result was cancelled'));
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CallToolResultSchema,
  RELATED_TASK_META_KEY,
  TaskStatusNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamCallRecord } from '../test-support/destructive-upstream.js';
import { startInProcessProxy } from '../test-support/in-process-proxy.js';
import { createTask, resultText, taskUntil } from '../test-support/task-client.js';

type Proxy = Awaited<ReturnType<typeof startInProcessProxy>>;
const proxies: Proxy[] = [];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countersign-mcp-tasks-'));
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startInProcessProxy>[0] = {}) {
  const proxy = await startInProcessProxy({ maxWaitMs: 50, ...options });
  proxies.push(proxy);
  return proxy;
}

const text = resultText;

describe('tool calls as MCP tasks', () => {
  it('names the request while it waits and delivers the real result after approval', async () => {
    const proxy = await start();
    const statuses: string[] = [];
    proxy.client.setNotificationHandler(TaskStatusNotificationSchema, (notification) => {
      statuses.push(notification.params.status);
    });
    const { tools } = await proxy.client.listTools();
    expect(tools.find((tool) => tool.name === 'delete_file')?.execution).toEqual({
      taskSupport: 'optional',
    });
    const task = await createTask(proxy.client, 'delete_file', { path: '/a' });
    expect(task.status).toBe('working');
    const waiting = await taskUntil(proxy.client, task.taskId, (t) =>
      (t.statusMessage ?? '').includes('Countersign request'),
    );
    const [request] = proxy.service.requests();
    expect(waiting.statusMessage).toContain(request!.id);
    expect(waiting.statusMessage).toContain('who may decide: any reviewer');
    expect(proxy.calls).toEqual([]);
    await proxy.service.decide(request!.id, { outcome: 'approve' });
    const result = await proxy.client.experimental.tasks.getTaskResult(
      task.taskId,
      CallToolResultSchema,
    );
    expect(text(result)).toBe('deleted /a');
    expect(result._meta?.[RELATED_TASK_META_KEY]).toEqual({ taskId: task.taskId });
    expect((await proxy.client.experimental.tasks.getTask(task.taskId)).status).toBe('completed');
    expect(proxy.calls).toEqual([{ tool: 'delete_file', args: { path: '/a' } }]);
    expect(statuses).toContain('completed');
  });

  it('completes with an error result on rejection, and nothing runs', async () => {
    const proxy = await start();
    const task = await createTask(proxy.client, 'delete_file', { path: '/b' });
    await taskUntil(proxy.client, task.taskId, () => proxy.service.requests().length === 1);
    const [request] = proxy.service.requests();
    await proxy.service.decide(request!.id, { outcome: 'reject', reason: 'not today' });
    const result = await proxy.client.experimental.tasks.getTaskResult(
      task.taskId,
      CallToolResultSchema,
    );
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('not today');
    expect(proxy.calls).toEqual([]);
  });

  it('runs an allowed call as a task that completes at once', async () => {
    const proxy = await start();
    const task = await createTask(proxy.client, 'get_balance', { account: 'acme' });
    const result = await proxy.client.experimental.tasks.getTaskResult(
      task.taskId,
      CallToolResultSchema,
    );
    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe('acme: 100');
    expect(proxy.service.requests()).toHaveLength(0);
  });

  it('tasks/cancel ends the task and withdraws the request', async () => {
    const proxy = await start();
    const task = await createTask(proxy.client, 'delete_file', { path: '/c' });
    await taskUntil(proxy.client, task.taskId, (t) => (t.statusMessage ?? '').includes('req'));
    const cancelled = await proxy.client.experimental.tasks.cancelTask(task.taskId);
    expect(cancelled.status).toBe('cancelled');
    const [request] = proxy.service.requests();
    await expect.poll(async () => (await proxy.service.get(request!.id)).status).toBe('cancelled');
    const result = await proxy.client.experimental.tasks.getTaskResult(
      task.taskId,
      CallToolResultSchema,
    );
    expect(text(result)).toContain('did not run');
    await expect(proxy.client.experimental.tasks.cancelTask(task.taskId)).rejects.toThrow(
      /already cancelled/,
    );
    expect(proxy.calls).toEqual([]);
  });

  it('runs once when tasks/result and check_request race after the approval', async () => {
    const proxy = await start();
    const task = await createTask(proxy.client, 'delete_file', { path: '/d' });
    await taskUntil(proxy.client, task.taskId, (t) => (t.statusMessage ?? '').includes('req'));
    const [request] = proxy.service.requests();
    await proxy.service.decide(request!.id, { outcome: 'approve' });
    const check = () =>
      proxy.client.callTool({ name: 'check_request', arguments: { request_id: request!.id } });
    const results = await Promise.all([
      proxy.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema),
      check(),
      check(),
      proxy.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema),
    ]);
    for (const result of results) expect(text(result)).toBe('deleted /d');
    expect(proxy.calls).toEqual([{ tool: 'delete_file', args: { path: '/d' } }]);
  });

  it('a restarted proxy answers tasks/get from the state file and finishes the call once', async () => {
    const stateFile = join(dir, 'state.json');
    const calls: UpstreamCallRecord[] = [];
    const before = await start({ stateFile, calls, runId: 'run-t' });
    const task = await createTask(before.client, 'delete_file', { path: '/e' });
    await taskUntil(before.client, task.taskId, (t) => (t.statusMessage ?? '').includes('req'));
    await before.close();
    proxies.splice(proxies.indexOf(before), 1);
    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(saved.tasks).toMatchObject([{ taskId: task.taskId, status: 'working' }]);
    const [request] = before.service.requests();
    await before.service.decide(request!.id, { outcome: 'approve' });
    const after = await start({ stateFile, calls, service: before.service, runId: 'run-t' });
    const done = await taskUntil(after.client, task.taskId, (t) => t.status === 'completed');
    expect(done.status).toBe('completed');
    expect(
      text(await after.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)),
    ).toBe('deleted /e');
    const again = await start({ stateFile, calls, service: before.service });
    expect(
      text(await again.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)),
    ).toBe('deleted /e');
    expect(calls).toHaveLength(1);
    expect(before.service.requests()).toHaveLength(1);
  });

  it('asks in the client (elicit channel) while the task is input_required, then runs the call', async () => {
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    const proxy = await start({
      defaultChannel: 'elicit',
      onElicit: async () => {
        await answered;
        return { action: 'accept', content: { approve: true } };
      },
    });
    const task = await createTask(proxy.client, 'delete_file', { path: '/local' });
    const asking = await taskUntil(proxy.client, task.taskId, (t) => t.status === 'input_required');
    expect(asking.statusMessage).toContain('Waiting for your confirmation of delete_file');
    release();
    expect(
      text(await proxy.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)),
    ).toBe('deleted /local');
    expect(proxy.service.requests()).toHaveLength(0);
  });

  it('keeps answering plain calls as before for clients that do not ask for a task', async () => {
    const proxy = await start({ maxWaitMs: 20 });
    const result = await proxy.client.callTool({ name: 'delete_file', arguments: { path: '/f' } });
    expect(result.structuredContent).toMatchObject({ status: 'pending' });
  });
});

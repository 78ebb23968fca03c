import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APPROVAL_CARD_URI, MCP_APP_MIME_TYPE } from '../card/approval-card.js';
import { type ConnectedCli, connectCli, TEST_UPSTREAM } from '../test-support/cli-harness.js';
import { readCallLog } from '../test-support/destructive-upstream.js';
import { TestReviewer } from '../test-support/reviewer.js';
import {
  createTask,
  resultText,
  TASK_CLIENT_CAPABILITIES,
  taskResult,
  taskUntil,
} from '../test-support/task-client.js';

const POLICY = `version: 1
default: require
approval:
  timeout: 10m
rules:
  - name: reads
    tools: get_balance
    action: allow
`;

let server: TestServer;
let reviewer: TestReviewer;
let env: Record<string, string>;
let dir: string;
const clis: ConnectedCli[] = [];

beforeAll(async () => {
  server = await startTestServer({ manualClock: true });
  env = {
    COUNTERSIGN_URL: server.url,
    COUNTERSIGN_API_KEY: await server.createKey({ role: 'agent', name: 'mcp-tasks' }),
  };
  reviewer = new TestReviewer(
    server.url,
    await server.createKey({ role: 'reviewer', name: 'dora' }),
  );
});
afterAll(() => server.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countersign-mcp-tasks-'));
  await writeFile(join(dir, 'countersign.yaml'), POLICY);
});
afterEach(async () => {
  await Promise.all(clis.splice(0).map((cli) => cli.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(transport: 'stdio' | 'http', args: string[]) {
  const cli = await connectCli({
    transport,
    args,
    env: { ...env, UPSTREAM_CALL_LOG: join(dir, 'calls.jsonl') },
    capabilities: TASK_CLIENT_CAPABILITIES,
  });
  clis.push(cli);
  return cli;
}

function proxyArgs(extra: string[] = []) {
  return [
    'proxy',
    '--policy',
    join(dir, 'countersign.yaml'),
    ...extra,
    '--',
    process.execPath,
    TEST_UPSTREAM,
  ];
}

const upstreamCalls = () => readCallLog(join(dir, 'calls.jsonl'));

describe.each(['stdio', 'http'] as const)('MCP tasks over %s with the real server', (transport) => {
  it('proxy: an approval five minutes later arrives through tasks/get', async () => {
    const { client } = await start(transport, proxyArgs());
    const path = `/late-${transport}`;
    const task = await createTask(client, 'delete_file', { path });
    const request = await reviewer.nextPending((r) => r.tool?.args.path === path);
    const waiting = await taskUntil(client, task.taskId, (t) =>
      (t.statusMessage ?? '').includes(request.id),
    );
    expect(waiting.status).toBe('working');
    expect(waiting.statusMessage).toContain(`deadline ${request.deadline}`);
    expect(waiting.statusMessage).toContain('who may decide: any reviewer');
    // The task lives as long as the request can be decided, and an hour for the result.
    const untilDeadline = Date.parse(request.deadline!) - Date.parse(task.createdAt);
    expect(waiting.ttl).toBeGreaterThanOrEqual(untilDeadline);
    await server.clock.advance(5 * 60_000);
    expect((await client.experimental.tasks.getTask(task.taskId)).status).toBe('working');
    expect(await upstreamCalls()).toEqual([]);
    await reviewer.decide(request.id, { outcome: 'approve' });
    await taskUntil(client, task.taskId, (t) => t.status === 'completed');
    expect(resultText(await taskResult(client, task.taskId))).toBe(`deleted ${path}`);
    expect(await upstreamCalls()).toEqual([
      { tool: 'delete_file', args: { path }, receipt: expect.any(String) },
    ]);
  });

  it('proxy: an expired request ends the task with an error result that is not a rejection', async () => {
    const { client } = await start(transport, proxyArgs());
    const path = `/expire-${transport}`;
    const task = await createTask(client, 'delete_file', { path });
    await reviewer.nextPending((r) => r.tool?.args.path === path);
    await server.clock.advance(11 * 60_000);
    const result = await taskResult(client, task.taskId);
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('this is not a rejection');
    expect((await client.experimental.tasks.getTask(task.taskId)).status).toBe('completed');
    expect(await upstreamCalls()).toEqual([]);
  });

  it('proxy: a rejection completes the task with an error result carrying the reason', async () => {
    const { client } = await start(transport, proxyArgs());
    const path = `/reject-${transport}`;
    const task = await createTask(client, 'delete_file', { path });
    const request = await reviewer.nextPending((r) => r.tool?.args.path === path);
    await reviewer.decide(request.id, { outcome: 'reject', reason: 'wrong folder' });
    const result = await taskResult(client, task.taskId);
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('wrong folder');
    expect(await upstreamCalls()).toEqual([]);
  });

  it('proxy: a restart between the task and the approval still runs the call once', async () => {
    const state = join(dir, 'state.json');
    const first = await start(transport, proxyArgs(['--state', state]));
    const path = `/restart-${transport}`;
    const task = await createTask(first.client, 'delete_file', { path });
    const request = await reviewer.nextPending((r) => r.tool?.args.path === path);
    await taskUntil(first.client, task.taskId, (t) => (t.statusMessage ?? '').includes(request.id));
    await first.close();
    clis.splice(clis.indexOf(first), 1);
    await reviewer.decide(request.id, { outcome: 'approve' });
    const second = await start(transport, proxyArgs(['--state', state]));
    const [viaTask, viaCheck] = await Promise.all([
      taskResult(second.client, task.taskId),
      second.client.callTool({ name: 'check_request', arguments: { request_id: request.id } }),
    ]);
    expect(resultText(viaTask)).toBe(`deleted ${path}`);
    expect(resultText(viaCheck)).toBe(`deleted ${path}`);
    expect(await upstreamCalls()).toEqual([
      { tool: 'delete_file', args: { path }, receipt: expect.any(String) },
    ]);
  });

  it('serve: request_approval as a task; tasks/cancel withdraws the request', async () => {
    const { client } = await start(transport, ['serve']);
    const tools = (await client.listTools()).tools;
    expect(tools.find((tool) => tool.name === 'ask_human')?.execution).toEqual({
      taskSupport: 'optional',
    });
    // MCP Apps hosts show the approval card with the asking tools' results.
    expect(tools.find((tool) => tool.name === 'request_approval')?._meta?.ui).toEqual({
      resourceUri: APPROVAL_CARD_URI,
    });
    const card = await client.readResource({ uri: APPROVAL_CARD_URI });
    expect(card.contents[0]).toMatchObject({ mimeType: MCP_APP_MIME_TYPE });
    const action = `Restart the cluster (${transport})`;
    const task = await createTask(client, 'request_approval', { action, assignees: ['user:dora'] });
    expect(task.taskId).toMatch(/^req_/);
    expect(task.statusMessage).toContain('who may decide: user:dora');
    await reviewer.decide(task.taskId, { outcome: 'approve', comment: 'go' });
    const approved = await taskResult(client, task.taskId);
    expect(resultText(approved)).toContain('Approved by user:dora');
    expect((await client.experimental.tasks.getTask(task.taskId)).status).toBe('completed');

    const other = await createTask(client, 'ask_human', {
      question: `Which region? (${transport})`,
    });
    const cancelled = await client.experimental.tasks.cancelTask(other.taskId);
    expect(cancelled.status).toBe('cancelled');
    expect((await reviewer.get(other.taskId)).status).toBe('cancelled');
  });

  it('serve: an expired request is the task result, and plain calls still work', async () => {
    const { client } = await start(transport, ['serve', '--max-wait', '200ms']);
    const task = await createTask(client, 'request_approval', {
      action: `Rotate keys (${transport})`,
      timeout: '10m',
    });
    await server.clock.advance(11 * 60_000);
    const result = await taskResult(client, task.taskId);
    expect(resultText(result)).toContain('expired');
    const plain = await client.callTool({
      name: 'request_approval',
      arguments: { action: `Plain call (${transport})` },
    });
    expect(resultText(plain)).toContain('Still waiting for a human');
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@countersign/server/test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConnectedCli, connectCli, TEST_UPSTREAM } from '../test-support/cli-harness.js';
import { TestReviewer } from '../test-support/reviewer.js';

let server: TestServer;
let reviewer: TestReviewer;
let env: Record<string, string>;
let dir: string;
let callLog: string;
const clis: ConnectedCli[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const agentKey = await server.createKey({ role: 'agent', name: 'mcp-proxy' });
  reviewer = new TestReviewer(
    server.url,
    await server.createKey({ role: 'reviewer', name: 'alice' }),
  );
  env = { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: agentKey };
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countersign-mcp-cli-'));
  callLog = join(dir, 'calls.jsonl');
});
afterEach(async () => {
  await Promise.all(clis.splice(0).map((cli) => cli.close()));
  await rm(dir, { recursive: true, force: true });
});

async function startProxy(transport: 'stdio' | 'http', flags: string[] = []) {
  const cli = await connectCli({
    transport,
    args: ['proxy', ...flags, '--', process.execPath, TEST_UPSTREAM],
    env: { ...env, UPSTREAM_CALL_LOG: callLog },
  });
  clis.push(cli);
  return cli;
}

async function upstreamCalls(): Promise<unknown[]> {
  const text = await readFile(callLog, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function text(result: unknown): string {
  return (result as CallToolResult).content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n');
}

describe.each(['stdio', 'http'] as const)('proxy over %s with the real server', (transport) => {
  it('lists upstream tools intact and forwards read-only calls', async () => {
    const { client } = await startProxy(transport);
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'delete_file')?.annotations).toMatchObject({
      destructiveHint: true,
    });
    expect(text(await client.callTool({ name: 'get_balance', arguments: { account: 'a' } }))).toBe(
      'a: 100',
    );
  });

  it('forwards after approval and hands back a rejection reason', async () => {
    const { client } = await startProxy(transport);
    const approved = client.callTool({ name: 'delete_file', arguments: { path: '/ok' } });
    const first = await reviewer.nextPending((request) => request.tool?.args.path === '/ok');
    expect(first.tool?.annotations).toMatchObject({ destructiveHint: true });
    await reviewer.decide(first.id, { outcome: 'approve' });
    expect(text(await approved)).toBe('deleted /ok');
    const rejected = client.callTool({ name: 'delete_file', arguments: { path: '/no' } });
    const second = await reviewer.nextPending((request) => request.tool?.args.path === '/no');
    await reviewer.decide(second.id, { outcome: 'reject', reason: 'production data' });
    const result = await rejected;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('production data');
    expect(await upstreamCalls()).toEqual([
      { tool: 'delete_file', args: { path: '/ok' }, receipt: expect.any(String) },
    ]);
  });
});

describe('proxy over stdio with the real server', () => {
  it('forwards the reviewer’s edited arguments', async () => {
    const { client } = await startProxy('stdio');
    const calling = client.callTool({
      name: 'transfer_funds',
      arguments: { to: 'bob', amount: 900 },
    });
    const request = await reviewer.nextPending((r) => r.tool?.name === 'transfer_funds');
    await reviewer.decide(request.id, { outcome: 'edit', args: { to: 'bob', amount: 90 } });
    expect((await calling).structuredContent).toEqual({ ok: true, txId: 'tx-bob-90' });
    expect(await upstreamCalls()).toEqual([
      { tool: 'transfer_funds', args: { to: 'bob', amount: 90 } },
    ]);
  });

  it('reports expiry as not run and not a rejection', async () => {
    const policy = join(dir, 'policy.yaml');
    await writeFile(policy, 'version: 1\ndefault: require\napproval:\n  timeout: 1s\n');
    const { client } = await startProxy('stdio', ['--policy', policy]);
    const result = await client.callTool({ name: 'delete_file', arguments: { path: '/slow' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('expired');
    expect(text(result)).toContain('not a rejection');
    expect(await upstreamCalls()).toEqual([]);
  });

  it('survives a decision slower than the client timeout: pending, then check_request runs it once', async () => {
    const { client } = await startProxy('stdio', [
      '--max-wait',
      '0.5s',
      '--progress-interval',
      '0.1s',
    ]);
    const clientTimeout = { timeout: 2_500 };
    const started = Date.now();
    let progress = 0;
    const first = await client.callTool(
      { name: 'delete_file', arguments: { path: '/late' } },
      undefined,
      {
        ...clientTimeout,
        onprogress: () => {
          progress += 1;
        },
      },
    );
    expect(first.isError).toBeFalsy();
    expect(progress).toBeGreaterThan(0);
    const { requestId } = first.structuredContent as { requestId: string };
    // The proxy answered and stopped waiting: nothing holds the request open any more.
    await server.waitForWaiters(0, { requestId });
    // The human decides only after the client's timeout would have ended the original call.
    const clientGaveUp = started + clientTimeout.timeout + 1;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, clientGaveUp - Date.now())));
    await reviewer.decide(requestId, { outcome: 'approve' });
    expect(Date.now() - started).toBeGreaterThan(clientTimeout.timeout);
    const check = () =>
      client.callTool(
        { name: 'check_request', arguments: { request_id: requestId } },
        undefined,
        clientTimeout,
      );
    expect(text(await check())).toBe('deleted /late');
    expect(text(await check())).toBe('deleted /late');
    expect(await upstreamCalls()).toEqual([
      { tool: 'delete_file', args: { path: '/late' }, receipt: expect.any(String) },
    ]);
  });

  it('asks in the client with --elicit and falls back to the server without the capability', async () => {
    const accepting = await connectCli({
      transport: 'stdio',
      args: ['proxy', '--elicit', '--', process.execPath, TEST_UPSTREAM],
      env: { ...env, UPSTREAM_CALL_LOG: callLog },
      onElicit: (request) => ({
        action: 'accept',
        content: { approve: String(request.params.message).includes('/yes') },
      }),
    });
    clis.push(accepting);
    expect(
      text(await accepting.client.callTool({ name: 'delete_file', arguments: { path: '/yes' } })),
    ).toBe('deleted /yes');
    const declined = await accepting.client.callTool({
      name: 'delete_file',
      arguments: { path: '/nope' },
    });
    expect(declined.isError).toBe(true);
    expect(text(declined)).toContain('declined');
    const plain = await startProxy('stdio', ['--elicit']);
    const calling = plain.client.callTool({ name: 'delete_file', arguments: { path: '/server' } });
    const request = await reviewer.nextPending((r) => r.tool?.args.path === '/server');
    await reviewer.decide(request.id, { outcome: 'approve' });
    expect(text(await calling)).toBe('deleted /server');
    expect(await upstreamCalls()).toEqual([
      { tool: 'delete_file', args: { path: '/yes' } },
      // Only the server's approval comes with a signed receipt; a local elicitation has none.
      { tool: 'delete_file', args: { path: '/server' }, receipt: expect.any(String) },
    ]);
  });
});

describe('proxy over http with elicitation', () => {
  it('asks the user through the session’s event stream and runs on accept', async () => {
    const cli = await connectCli({
      transport: 'http',
      args: ['proxy', '--elicit', '--', process.execPath, TEST_UPSTREAM],
      env: { ...env, UPSTREAM_CALL_LOG: callLog },
      onElicit: () => ({ action: 'accept', content: { approve: true } }),
    });
    clis.push(cli);
    const result = await cli.client.callTool({ name: 'delete_file', arguments: { path: '/h' } });
    expect(text(result)).toBe('deleted /h');
    expect(await upstreamCalls()).toEqual([{ tool: 'delete_file', args: { path: '/h' } }]);
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConnectedCli, connectCli, TEST_UPSTREAM } from '../test-support/cli-harness.js';
import { TestReviewer } from '../test-support/reviewer.js';

/** Longer than the proxy's retry budget, as a restart or a deploy of the server takes. */
const DOWN_MS = 2_000;

let server: TestServer;
let dir: string;
let cli: ConnectedCli | undefined;
beforeEach(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'countersign-mcp-restart-'));
});
afterEach(async () => {
  await cli?.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('proxy with the Countersign server restarted mid-wait', () => {
  it('keeps waiting through the restart and forwards the call once approved', async () => {
    const reviewer = new TestReviewer(
      server.url,
      await server.createKey({ role: 'reviewer', name: 'alice' }),
    );
    const callLog = join(dir, 'calls.jsonl');
    cli = await connectCli({
      transport: 'stdio',
      args: ['proxy', '--', process.execPath, TEST_UPSTREAM],
      env: {
        COUNTERSIGN_URL: server.url,
        COUNTERSIGN_API_KEY: await server.createKey({ role: 'agent', name: 'mcp-proxy' }),
        UPSTREAM_CALL_LOG: callLog,
      },
    });
    const calling = cli.client.callTool({ name: 'delete_file', arguments: { path: '/restart' } });
    const request = await reviewer.nextPending((r) => r.tool?.args.path === '/restart');
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
    await server.start();
    await reviewer.decide(request.id, { outcome: 'approve' });
    const result = await calling;
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'deleted /restart' }]);
    const calls = (await readFile(callLog, 'utf8')).split('\n').filter(Boolean);
    expect(calls.map((line) => JSON.parse(line))).toEqual([
      { tool: 'delete_file', args: { path: '/restart' }, receipt: expect.any(String) },
    ]);
  });
});

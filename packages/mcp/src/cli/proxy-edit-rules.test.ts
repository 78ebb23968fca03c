import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '@countersign/core';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectedCli, connectCli, TEST_UPSTREAM } from '../test-support/cli-harness.js';
import { readCallLog } from '../test-support/destructive-upstream.js';
import { TestReviewer } from '../test-support/reviewer.js';

// The policy: small transfers need one ops approver, big ones two from finance.
const POLICY = `version: 1
default: deny
rules:
  - name: small
    tools: transfer_funds
    when: args.amount <= 1000
    action: require
    approval: { assignees: [group:ops] }
  - name: big
    tools: transfer_funds
    when: args.amount > 1000
    action: require
    approval: { assignees: [group:finance], quorum: 2, timeout: 4h }
`;

let server: TestServer;
let dir: string;
let cli: ConnectedCli;
const reviewers: Record<string, TestReviewer> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const [name, groups] of Object.entries({
    oscar: ['ops'],
    omar: ['ops', 'finance'],
    frank: ['finance'],
    fiona: ['finance'],
  })) {
    reviewers[name] = new TestReviewer(
      server.url,
      await server.createKey({ role: 'reviewer', name, groups }),
    );
  }
  dir = await mkdtemp(join(tmpdir(), 'countersign-mcp-rules-'));
  await writeFile(join(dir, 'policy.yaml'), POLICY);
  cli = await connectCli({
    transport: 'stdio',
    args: ['proxy', '--policy', join(dir, 'policy.yaml'), '--', process.execPath, TEST_UPSTREAM],
    env: {
      COUNTERSIGN_URL: server.url,
      COUNTERSIGN_API_KEY: await server.createKey({ role: 'agent', name: 'mcp-proxy' }),
      UPSTREAM_CALL_LOG: join(dir, 'calls.jsonl'),
    },
  });
});
afterAll(async () => {
  await cli.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const reviewer = (name: string) => reviewers[name] as TestReviewer;

const upstreamCalls = () => readCallLog(join(dir, 'calls.jsonl'));

describe('proxy: an edit that lands under another require rule', () => {
  it('is refused from an ops-only reviewer, asked again under "big" for one in both groups, and runs after two finance approvals', async () => {
    const calling = cli.client.callTool({
      name: 'transfer_funds',
      arguments: { to: 'bob', amount: 500 },
    });
    const first = await reviewer('omar').nextPending((r) => r.tool?.name === 'transfer_funds');
    expect(first).toMatchObject({ assignees: ['group:ops'], policy: { rule: 'small' } });
    const inflated = { to: 'bob', amount: 999_999 };
    const refused = await reviewer('oscar')
      .decide(first.id, { outcome: 'edit', args: inflated })
      .catch((error: unknown) => error);
    expect(ApiError.isInstance(refused) && refused.status).toBe(403);
    await reviewer('omar').decide(first.id, { outcome: 'edit', args: inflated });
    const second = await reviewer('frank').nextPending((r) => r.metadata?.reaskOf === first.id);
    expect(second).toMatchObject({
      assignees: ['group:finance'],
      quorum: 2,
      tool: { args: inflated },
    });
    await reviewer('frank').decide(second.id, { outcome: 'approve' });
    expect(await upstreamCalls()).toEqual([]);
    await reviewer('fiona').decide(second.id, { outcome: 'approve' });
    expect((await calling).structuredContent).toEqual({ ok: true, txId: 'tx-bob-999999' });
    expect(await upstreamCalls()).toEqual([{ tool: 'transfer_funds', args: inflated }]);
  });
});

import { startTestServer, type TestServer } from '@countersign/server/test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectedCli, connectCli } from '../test-support/cli-harness.js';
import { TestReviewer } from '../test-support/reviewer.js';

let server: TestServer;
let reviewer: TestReviewer;
let env: Record<string, string>;
const clis: ConnectedCli[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const agentKey = await server.createKey({ role: 'agent', name: 'claude' });
  reviewer = new TestReviewer(
    server.url,
    await server.createKey({ role: 'reviewer', name: 'carol' }),
  );
  env = { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: agentKey };
});
afterAll(() => server.close());
afterEach(async () => {
  await Promise.all(clis.splice(0).map((cli) => cli.close()));
});

async function startServe(transport: 'stdio' | 'http', flags: string[] = []) {
  const cli = await connectCli({ transport, args: ['serve', ...flags], env });
  clis.push(cli);
  return cli.client;
}

function text(result: unknown): string {
  return (result as CallToolResult).content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n');
}

describe.each(['stdio', 'http'] as const)('serve over %s with the real server', (transport) => {
  it('request_approval returns the approval with its comment, and a rejection with its reason', async () => {
    const client = await startServe(transport);
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(names).toEqual(['ask_human', 'check_request', 'collect_input', 'request_approval']);
    const asking = client.callTool({
      name: 'request_approval',
      arguments: { action: `Deploy v2 (${transport})`, context: { env: 'prod' } },
    });
    const request = await reviewer.nextPending((r) => r.action === `Deploy v2 (${transport})`);
    expect(request.context).toEqual({ env: 'prod' });
    await reviewer.decide(request.id, { outcome: 'approve', comment: 'after 5pm' });
    const approved = await asking;
    expect(text(approved)).toContain('Approved by user:carol');
    expect(text(approved)).toContain('after 5pm');
    expect(approved.structuredContent).toMatchObject({ approved: true, by: ['user:carol'] });
    const second = client.callTool({
      name: 'request_approval',
      arguments: { action: `Drop table (${transport})` },
    });
    const other = await reviewer.nextPending((r) => r.action === `Drop table (${transport})`);
    await reviewer.decide(other.id, { outcome: 'reject', reason: 'needs a backup first' });
    const rejected = await second;
    expect(text(rejected)).toContain('needs a backup first');
    expect(rejected.structuredContent).toMatchObject({ approved: false, status: 'rejected' });
  });
});

describe('serve over stdio with the real server', () => {
  it('ask_human returns the human’s answer', async () => {
    const client = await startServe('stdio');
    const asking = client.callTool({ name: 'ask_human', arguments: { question: 'Which colour?' } });
    const request = await reviewer.nextPending((r) => r.question === 'Which colour?');
    expect(request.kind).toBe('clarification');
    await reviewer.decide(request.id, { outcome: 'respond', response: 'blue' });
    const answered = await asking;
    expect(text(answered)).toContain('answered: blue');
    expect(answered.structuredContent).toMatchObject({ answer: 'blue' });
  });

  it('collect_input returns the validated form data', async () => {
    const client = await startServe('stdio');
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, seats: { type: 'integer', minimum: 1 } },
      required: ['name', 'seats'],
    };
    const asking = client.callTool({
      name: 'collect_input',
      arguments: { title: 'Booking details', schema },
    });
    const request = await reviewer.nextPending((r) => r.action === 'Booking details');
    expect(request.kind).toBe('form');
    await reviewer.decide(request.id, { outcome: 'respond', response: { name: 'Ada', seats: 2 } });
    expect((await asking).structuredContent).toMatchObject({ data: { name: 'Ada', seats: 2 } });
  });

  it('answers pending past --max-wait and check_request picks the decision up later', async () => {
    const client = await startServe('stdio', ['--max-wait', '0.3s']);
    const first = await client.callTool({
      name: 'request_approval',
      arguments: { action: 'Slow approval' },
    });
    expect(first.isError).toBeFalsy();
    const { requestId, status } = first.structuredContent as { requestId: string; status: string };
    expect(status).toBe('pending');
    expect(text(first)).toContain('check_request');
    await reviewer.decide(requestId, { outcome: 'approve' });
    const later = await client.callTool({
      name: 'check_request',
      arguments: { request_id: requestId },
    });
    expect(later.structuredContent).toMatchObject({ status: 'approved', approved: true });
  });

  it('reports an unknown request id as an error', async () => {
    const client = await startServe('stdio');
    const result = await client.callTool({
      name: 'check_request',
      arguments: { request_id: 'req_missing' },
    });
    expect(result.isError).toBe(true);
  });
});

import { startTestServer, type TestServer } from '@countersign/server/test';
import {
  type ClientCapabilities,
  ElicitationCompleteNotificationSchema,
  type ElicitRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { approvalPageUrl } from '../shared/approval-page.js';
import { type ConnectedCli, connectCli, TEST_UPSTREAM } from '../test-support/cli-harness.js';
import { TestReviewer } from '../test-support/reviewer.js';
import {
  createTask,
  resultText,
  TASK_CLIENT_CAPABILITIES,
  taskResult,
} from '../test-support/task-client.js';

const PUBLIC_URL = 'https://countersign.example.test/console';

let server: TestServer;
let reviewer: TestReviewer;
let env: Record<string, string>;
const clis: ConnectedCli[] = [];

beforeAll(async () => {
  server = await startTestServer();
  env = {
    COUNTERSIGN_URL: server.url,
    COUNTERSIGN_API_KEY: await server.createKey({ role: 'agent', name: 'mcp-capabilities' }),
  };
  reviewer = new TestReviewer(
    server.url,
    await server.createKey({ role: 'reviewer', name: 'eve' }),
  );
});
afterAll(() => server.close());
afterEach(async () => {
  await Promise.all(clis.splice(0).map((cli) => cli.close()));
});

interface Experience {
  tasks: boolean;
  url: boolean;
}

const EXPERIENCES: [string, Experience][] = [
  ['neither', { tasks: false, url: false }],
  ['tasks', { tasks: true, url: false }],
  ['URL elicitation', { tasks: false, url: true }],
  ['tasks and URL elicitation', { tasks: true, url: true }],
];

async function start(transport: 'stdio' | 'http', experience: Experience) {
  const offered: ElicitRequest['params'][] = [];
  const capabilities: ClientCapabilities = {
    ...(experience.tasks ? TASK_CLIENT_CAPABILITIES : {}),
    ...(experience.url ? { elicitation: { url: {} } } : {}),
  };
  const cli = await connectCli({
    transport,
    args: [
      'proxy',
      '--public-url',
      PUBLIC_URL,
      '--max-wait',
      '1s',
      '--',
      process.execPath,
      TEST_UPSTREAM,
    ],
    env,
    capabilities,
    ...(experience.url
      ? {
          onElicit: (request) => {
            offered.push(request.params);
            return { action: 'accept' };
          },
        }
      : {}),
  });
  clis.push(cli);
  const completed: string[] = [];
  if (experience.url) {
    cli.client.setNotificationHandler(ElicitationCompleteNotificationSchema, (notification) => {
      completed.push(notification.params.elicitationId);
    });
  }
  return { client: cli.client, offered, completed };
}

describe.each(['stdio', 'http'] as const)('what each client gets over %s', (transport) => {
  it.each(EXPERIENCES)('a client with %s', async (_name, experience) => {
    const { client, offered, completed } = await start(transport, experience);
    const path = `/${transport}-${experience.tasks}-${experience.url}`;
    const args = { path };
    const task = experience.tasks ? await createTask(client, 'delete_file', args) : undefined;
    const plain = task ? undefined : client.callTool({ name: 'delete_file', arguments: args });
    const request = await reviewer.nextPending((r) => r.tool?.args.path === path);
    if (experience.url) {
      await expect.poll(() => offered.length).toBe(1);
      expect(offered[0]).toMatchObject({
        mode: 'url',
        url: approvalPageUrl(PUBLIC_URL, request.id),
        elicitationId: request.id,
      });
      expect((offered[0] as { message: string }).message).toContain('Open the approval page');
    }
    if (plain && !experience.url) {
      // Past --max-wait the plain call answers "pending"; check_request picks it up later.
      expect(resultText(await plain)).toContain('has NOT run yet');
    }
    await reviewer.decide(request.id, { outcome: 'approve' });
    const result = task
      ? await taskResult(client, task.taskId)
      : plain && experience.url
        ? await plain
        : await client.callTool({ name: 'check_request', arguments: { request_id: request.id } });
    const text = resultText(result);
    // A URL client's plain call may have passed --max-wait before the approval landed.
    if (text.includes('has NOT run yet')) {
      const later = await client.callTool({
        name: 'check_request',
        arguments: { request_id: request.id },
      });
      expect(resultText(later)).toBe(`deleted ${path}`);
    } else {
      expect(text).toBe(`deleted ${path}`);
    }
    if (experience.url) await expect.poll(() => completed).toEqual([request.id]);
    else expect(offered).toEqual([]);
  });
});

describe('serve with --public-url', () => {
  it('offers the approval page to a client with URL elicitation; the reviewer decides on the server', async () => {
    const offered: ElicitRequest['params'][] = [];
    const cli = await connectCli({
      transport: 'stdio',
      args: ['serve', '--public-url', PUBLIC_URL],
      env,
      capabilities: { elicitation: { url: {} } },
      onElicit: (request) => {
        offered.push(request.params);
        return { action: 'accept' };
      },
    });
    clis.push(cli);
    const asking = cli.client.callTool({
      name: 'request_approval',
      arguments: { action: 'Ship the release (page)' },
    });
    const request = await reviewer.nextPending((r) => r.action === 'Ship the release (page)');
    await expect.poll(() => offered.length).toBe(1);
    expect(offered[0]).toMatchObject({ mode: 'url', url: approvalPageUrl(PUBLIC_URL, request.id) });
    await reviewer.decide(request.id, { outcome: 'approve' });
    expect(resultText(await asking)).toContain('Approved by user:eve');
  });
});

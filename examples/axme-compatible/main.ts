// One command: starts Countersign on a temporary SQLite file and a free port, then runs an agent
// written as the AXME SDK README shows against it, with a reviewer approving from the inbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createApiKey,
  type NewKeyOptions,
  openSqliteStore,
  startServer,
} from '@countersign/server';
import { AxmeStyleClient } from './axme-style-client.ts';

const directory = mkdtempSync(join(tmpdir(), 'countersign-axme-'));
const store = openSqliteStore({ path: join(directory, 'countersign.db') });
const server = await startServer({ store, port: 0, host: '127.0.0.1' });
const key = async (spec: NewKeyOptions) =>
  (await store.transaction((tx) => createApiKey(tx, spec, new Date()))).key;

try {
  // The only two things that differ from AXME Cloud: the base URL and the key.
  const agent = new AxmeStyleClient({
    baseUrl: server.url,
    apiKey: await key({ role: 'agent', name: 'budget-agent' }),
  });
  const approver = new AxmeStyleClient({
    baseUrl: server.url,
    apiKey: await key({ role: 'reviewer', name: 'approver@example.com' }),
  });
  console.log(`Countersign at ${server.url}: health ${JSON.stringify(await agent.health())}`);

  const intent = await agent.createIntent(
    {
      intent_type: 'intent.budget.approval.v1',
      to_agent: 'agent://myorg/prod/agent_core',
      payload: { amount: 32000, currency: 'EUR' },
      human_task: {
        title: 'Approve the Q3 marketing budget',
        task_type: 'approval',
        allowed_outcomes: ['approved', 'rejected'],
        assignees: ['approver@example.com'],
      },
    },
    { idempotencyKey: 'budget-q3-001' },
  );
  const intentId = intent.intent_id as string;
  console.log(`Created intent ${intentId}: ${intent.status}`);

  for await (const event of agent.observe(intentId)) {
    console.log(
      `  seq ${event.seq} ${event.event_type} ${event.status}${event.waiting_reason ? ` (${event.waiting_reason})` : ''}`,
    );
    if (event.event_type === 'intent.waiting') {
      const inbox = await approver.listInbox();
      const threads = inbox.threads as { thread_id: string; title: string }[];
      const thread = threads.find((each) => each.thread_id === intentId);
      console.log(
        `  inbox of approver@example.com: ${threads.length} thread(s): "${thread?.title}"`,
      );
      await approver.approveInboxThread(intentId, 'Within the plan');
      console.log('  approver@example.com approved it from the inbox');
    }
  }

  const final = (await agent.getIntent(intentId)).intent as Record<string, unknown>;
  console.log(`Outcome: ${final.status} ${JSON.stringify(final.result)}`);
} finally {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
}

// Run: npx -y pnpm@10 --filter @countersign/example-ai-sdk start   (DECISION=reject to see a rejection)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CountersignClient, createGate, definePolicy } from '@countersign/core';
import { startTestServer } from '@countersign/server/test';
import type { UIMessage } from 'ai';
import { bankTools } from './bank-tools.ts';
import { describeMessage, sendChat, waitingFetch } from './chat-client.ts';
import { createChatRoute } from './chat-route.ts';
import { scriptedModel } from './scripted-model.ts';

const policy = definePolicy({
  version: 1,
  default: 'allow',
  rules: [
    { name: 'payments', tools: 'transfer_funds', action: 'require', approval: { timeout: '10m' } },
  ],
});

// A real Countersign server on loopback with a throwaway SQLite file; the manager is a reviewer key.
const countersign = await startTestServer();
const agent = new CountersignClient({
  baseUrl: countersign.url,
  apiKey: await countersign.createKey({ role: 'agent', name: 'chat-app' }),
});
const manager = new CountersignClient({
  baseUrl: countersign.url,
  apiKey: await countersign.createKey({ role: 'reviewer', name: 'manager' }),
});
const log = (line: string) => console.log(line);
const tools = bankTools(log);
const model = scriptedModel();

async function startRoute(): Promise<{ api: string; server: Server }> {
  const route = createChatRoute({
    gate: createGate({ policy, service: agent }),
    model,
    tools,
    waitMs: 1_000,
    approvalSecret: 'example-secret-that-is-at-least-32-bytes',
  });
  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { api: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`, server };
}

try {
  console.log(`Countersign is at ${countersign.url} (dashboard: ${countersign.url}/)`);
  let route = await startRoute();
  const chatId = 'chat-42';
  let messages: UIMessage[] = [
    { id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Please send bob 250.' }] },
  ];
  console.log('user: Please send bob 250.');
  messages = await sendChat(route.api, chatId, messages, fetch);
  for (const line of describeMessage(messages.at(-1))) console.log(line);

  // The route restarts (a deploy): the new one resumes the same Countersign request, keyed by chat id + call + fingerprint.
  await new Promise((resolve) => route.server.close(resolve));
  route = await startRoute();
  console.log('(chat route restarted)');

  // The manager decides on the dashboard; here a script plays them, a moment later.
  const decision = process.env.DECISION === 'reject' ? 'reject' : 'approve';
  setTimeout(async () => {
    const [request] = (await manager.list({ status: 'pending' })).items;
    if (request === undefined) return;
    console.log(`manager: ${decision}s "${request.action}" (${request.id})`);
    await manager.decide(
      request.id,
      decision === 'reject'
        ? { outcome: 'reject', reason: 'bob was paid yesterday' }
        : { outcome: 'approve' },
    );
  }, 1_500);

  const waiting = waitingFetch((requests) =>
    console.log(
      `  (user waits: ${requests.map((r) => `${r.toolName} → ${r.requestId}`).join(', ')} undecided)`,
    ),
  );
  messages = await sendChat(route.api, chatId, messages, waiting);
  for (const line of describeMessage(messages.at(-1))) console.log(line);
  const all = await manager.list({});
  console.log(
    `Countersign requests made: ${all.items.length} (${all.items.map((r) => `${r.id} ${r.status}`).join(', ')})`,
  );
  await new Promise((resolve) => route.server.close(resolve));
} finally {
  await countersign.close();
}

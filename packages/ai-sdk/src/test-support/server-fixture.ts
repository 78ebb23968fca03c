import {
  type ApprovalRequest,
  CountersignClient,
  createGate,
  type DecisionInput,
  definePolicy,
} from '@countersign/core';
import { startTestServer, type TestServer } from '@countersign/server/test';

/** The policy of the integration tests: look-ups run freely, payments need a human, deletes are denied. */
export const testPolicy = definePolicy(
  {
    version: 1,
    default: 'allow',
    rules: [
      {
        name: 'no-deletes',
        tools: 'delete_*',
        action: 'deny',
        message: 'Deleting is not allowed here.',
      },
      { name: 'payments', tools: 'transfer_funds', action: 'require', approval: { timeout: '1h' } },
      { name: 'quick', tools: 'quick_*', action: 'require', approval: { timeout: '2s' } },
      {
        name: 'ask',
        tools: 'confirm_*',
        action: 'require',
        approval: { kind: 'clarification', question: 'Which account should pay?' },
      },
    ],
  },
  'ai-sdk-tests',
);

/** A real Countersign server on loopback, an agent-side gate and a reviewer. */
export interface Fixture {
  server: TestServer;
  agent: CountersignClient;
  reviewer: CountersignClient;
  gate: ReturnType<typeof createGate>;
  /** Waits until `count` requests are pending and returns them, oldest first. */
  pending(count?: number): Promise<ApprovalRequest[]>;
  /** Waits for the next pending request and decides it as the reviewer. */
  decideNext(decision: DecisionInput): Promise<ApprovalRequest>;
  close(): Promise<void>;
}

export async function startFixture(options: { manualClock?: boolean } = {}): Promise<Fixture> {
  const server = await startTestServer(options);
  const agentKey = await server.createKey({ role: 'agent', name: 'ai-bot' });
  const reviewerKey = await server.createKey({ role: 'reviewer', name: 'alice' });
  const agent = new CountersignClient({ baseUrl: server.url, apiKey: agentKey });
  const reviewer = new CountersignClient({ baseUrl: server.url, apiKey: reviewerKey });
  const gate = createGate({ policy: testPolicy, service: agent });
  const pending = async (count = 1) => {
    for (let attempt = 0; attempt < 400; attempt++) {
      const list = await reviewer.list({ status: 'pending' });
      if (list.items.length >= count)
        return [...list.items].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`expected ${count} pending request(s)`);
  };
  return {
    server,
    agent,
    reviewer,
    gate,
    pending,
    async decideNext(decision) {
      const [request] = await pending(1);
      if (request === undefined) throw new Error('no pending request');
      return reviewer.decide(request.id, decision);
    },
    close: () => server.close(),
  };
}

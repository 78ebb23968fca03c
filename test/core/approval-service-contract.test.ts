import { CountersignClient } from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import { startTestServer } from '@countersign/server/test';
import { describeApprovalServiceContract } from './approval-service-contract.ts';
import { FAST_RETRY } from './e2e-harness.ts';

const TWO_HOURS = 2 * 3_600_000;

describeApprovalServiceContract('the fake in @countersign/core/test', async () => {
  const fake = createFakeApprovalService({ requester: 'agent:bot', reviewer: 'user:alice' });
  return {
    agent: fake,
    decide: (reviewer, id, body) => fake.decide(id, body, { principal: `user:${reviewer}` }),
    async expire(id) {
      fake.expire(id);
    },
    async dispose() {},
  };
});

describeApprovalServiceContract('CountersignClient on the real server', async () => {
  const server = await startTestServer({ manualClock: true });
  const client = (apiKey: string) =>
    new CountersignClient({ baseUrl: server.url, apiKey, retry: FAST_RETRY });
  const agent = client(await server.createKey({ role: 'agent', name: 'bot' }));
  const reviewers = {
    alice: client(await server.createKey({ role: 'reviewer', name: 'alice', groups: ['ops'] })),
    bob: client(await server.createKey({ role: 'reviewer', name: 'bob', groups: ['ops'] })),
  };
  return {
    agent,
    decide: (reviewer, id, body) => reviewers[reviewer].decide(id, body),
    async expire() {
      await server.clock.advance(TWO_HOURS);
    },
    dispose: () => server.close(),
  };
});

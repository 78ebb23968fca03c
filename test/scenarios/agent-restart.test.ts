// An agent killed (SIGKILL) between the approval and the call: the restarted agent re-attaches to
// the same approval and runs the call once; any later attacher is told it already ran.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CountersignClient } from '@countersign/core';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from './child-process.ts';

const agentScript = fileURLToPath(new URL('./restartable-agent.ts', import.meta.url));
let server: TestServer;
let agentKey: string;
let reviewer: CountersignClient;
let admin: CountersignClient;
let directory: string;
beforeAll(async () => {
  server = await startTestServer();
  agentKey = await server.createKey({ role: 'agent', name: 'payer' });
  const reviewerKey = await server.createKey({ role: 'reviewer', name: 'alice' });
  reviewer = new CountersignClient({ baseUrl: server.url, apiKey: reviewerKey });
  admin = new CountersignClient({ baseUrl: server.url, apiKey: server.adminKey });
  directory = await mkdtemp(join(tmpdir(), 'countersign-restart-'));
});
afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

async function pendingRequest() {
  for (let attempt = 0; attempt < 500; attempt++) {
    const [request] = (await reviewer.list({ status: 'pending' })).items;
    if (request) return request;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no pending request');
}

describe('an agent killed between approval and execution', () => {
  it('re-attaches after a restart and runs the approved call exactly once', async () => {
    const ranFile = join(directory, 'ran.log');
    const agent = (mode: string) =>
      runNode(agentScript, [server.url, agentKey, ranFile, mode], { cwd: directory });

    const first = agent('stop-before-running');
    const request = await pendingRequest();
    await reviewer.decide(request.id, { outcome: 'approve' });
    await first.waitFor(/APPROVED, NOT RUNNING YET/);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    expect(existsSync(ranFile)).toBe(false);
    expect((await admin.get(request.id)).execution).toBeUndefined();

    const second = agent('run');
    await second.waitFor(/RAN/);
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain(`DECISION allow ${request.id}`);
    expect(readFileSync(ranFile, 'utf8')).toBe(`paid bob 50 for ${request.id}\n`);

    const third = agent('run');
    await third.waitFor(/DECISION deny/);
    expect(await third.exited).toBe(0);
    expect(third.output()).toContain(`DECISION deny ${request.id} already_ran`);
    expect(readFileSync(ranFile, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);

    const stored = await admin.get(request.id);
    expect(stored.execution).toMatchObject({ state: 'succeeded', by: 'agent:payer' });
    expect((await admin.list({ limit: 10 })).items).toHaveLength(1);
  });
});

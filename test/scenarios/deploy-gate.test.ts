// examples/deploy-gate: the CI step (curl script and Node script) against a real server, over the
// Ambedo-style pause API only.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './api.ts';
import { collect } from './child-process.ts';
import { type CountingForwarder, startCountingForwarder } from './counting-forwarder.ts';

const exampleDir = fileURLToPath(new URL('../../examples/deploy-gate/', import.meta.url));
let server: TestServer;
let agentKey: string;
let reviewerKey: string;
let forwarder: CountingForwarder;
beforeAll(async () => {
  server = await startTestServer();
  forwarder = await startCountingForwarder(server.url);
  agentKey = await server.createKey({ role: 'agent', name: 'ci' });
  reviewerKey = await server.createKey({ role: 'reviewer', name: 'rita' });
});
afterAll(async () => {
  await forwarder.close();
  await server.close();
});

const variants = {
  'curl script': ['bash', ['deploy-gate.sh']],
  'Node script': [process.execPath, ['deploy-gate.ts']],
} as const;

function runGate(variant: keyof typeof variants, env: NodeJS.ProcessEnv = {}) {
  const [program, prefix] = variants[variant];
  const child = spawn(
    program,
    [...prefix, 'Deploy v2.4.1 to prod', '--', './fake-deploy.sh', 'v2.4.1', 'prod'],
    {
      cwd: exampleDir,
      env: {
        ...process.env,
        COUNTERSIGN_URL: server.url,
        COUNTERSIGN_API_KEY: agentKey,
        POLL_INTERVAL: '0.1',
        GITHUB_SHA: 'abc123',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return collect(child);
}

describe.each(Object.keys(variants) as (keyof typeof variants)[])('deploy gate (%s)', (variant) => {
  it('pauses, and deploys only once a human approves', async () => {
    const run = runGate(variant, { COUNTERSIGN_URL: forwarder.url });
    const [, watchId] = await run.waitFor(/watchId: (req_[\w-]+)/);
    const pause = await api(server.url, agentKey, 'GET', `/api/pause/${watchId}`);
    expect(pause.body).toMatchObject({
      status: 'pending',
      agentContext: { action: 'Deploy v2.4.1 to prod', context: { commit: 'abc123' } },
    });
    // The script has seen "pending" three times: it must still be waiting, not deploying.
    await forwarder.answered(new RegExp(`^GET /api/pause/${watchId}$`), 3);
    expect(run.output()).not.toContain('deploying');
    const decided = await api(server.url, reviewerKey, 'POST', `/api/pause/${watchId}/approve`, {
      approved: true,
      reason: 'Green across the board',
    });
    expect(decided.body.status).toBe('approved');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(`Approved (${watchId})`);
    expect(run.output()).toContain('deployed v2.4.1');
  });

  it('does not deploy when rejected, and prints the reason', async () => {
    const run = runGate(variant);
    const [, watchId] = await run.waitFor(/watchId: (req_[\w-]+)/);
    await api(server.url, reviewerKey, 'POST', `/v1/requests/${watchId}/decisions`, {
      outcome: 'reject',
      reason: 'Change freeze until Monday',
    });
    expect(await run.exited).toBe(10);
    expect(run.output()).toContain('rejected: Change freeze until Monday');
    expect(run.output()).not.toContain('deploying');
  });

  it('gives up without deploying when nobody decides in time', async () => {
    const run = runGate(variant, { PAUSE_TIMEOUT: '1' });
    expect(await run.exited).toBe(11);
    expect(run.output()).toMatch(/no decision within 1s; not deploying/);
    expect(run.output()).not.toContain('deploying v2');
  });

  it('fails closed when the server refuses the key or is unreachable', async () => {
    const refused = runGate(variant, { COUNTERSIGN_API_KEY: 'csk_not_a_key' });
    expect(await refused.exited).toBe(13);
    expect(refused.output()).toContain('answered 401');
    const down = runGate(variant, { COUNTERSIGN_URL: 'http://127.0.0.1:9' });
    expect(await down.exited).toBe(13);
    expect(down.output()).toContain('cannot reach http://127.0.0.1:9');
    expect(down.output()).not.toContain('deploying');
  });
});

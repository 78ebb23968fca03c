import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './api.ts';
import { type RunningChild, runNode } from './child-process.ts';

const V1 = `version: 1
default: deny
rules:
  - name: balances
    tools: [get_balance]
    action: allow
`;
const V2 = `version: 1
default: deny
rules:
  - name: no-balances
    tools: [get_balance]
    action: deny
    message: Balances are switched off.
`;

const ADAPTERS = ['core', 'langchain', 'mcp'] as const;
type Adapter = (typeof ADAPTERS)[number];
const script = (name: string) =>
  fileURLToPath(new URL(`./central-policy/${name}-child.ts`, import.meta.url));

let server: TestServer;
let agentKey: string;
const children = new Map<Adapter, RunningChild>();

function start(adapter: Adapter): RunningChild {
  const child = runNode(script(adapter === 'core' ? 'core-gate' : adapter), [], {
    env: { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: agentKey },
  });
  children.set(adapter, child);
  return child;
}

interface State {
  adapter: string;
  outcome: string;
  version: string;
  at: number;
  message: string;
}

function states(child: RunningChild): State[] {
  return [...child.output().matchAll(/^STATE (\S+) (\S+) v(\S+) (\d+) (.*)$/gm)].map((match) => ({
    adapter: match[1] as string,
    outcome: match[2] as string,
    version: match[3] as string,
    at: Number(match[4]),
    message: match[5] as string,
  }));
}

/** Waits until `adapter` prints a state after `since` that satisfies `check`; returns it. */
async function nextState(
  adapter: Adapter,
  since: number,
  check: (state: State) => boolean,
): Promise<State> {
  const child = children.get(adapter) as RunningChild;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = states(child).find((state) => state.at >= since && check(state));
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`${adapter} never reached the state; its output:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const admin = (method: string, path: string, body?: unknown) =>
  api(server.url, server.adminKey, method, path, body);

beforeAll(async () => {
  server = await startTestServer();
  agentKey = await server.createKey({ role: 'agent', name: 'payments-bot' });
  await admin('POST', '/v1/policies/payments/versions', { text: V1, file: 'payments.yaml' });
  for (const adapter of ADAPTERS) start(adapter);
  for (const adapter of ADAPTERS) await nextState(adapter, 0, (state) => state.outcome === 'allow');
}, 60_000);
afterAll(async () => {
  for (const child of children.values()) {
    child.child.kill('SIGKILL');
    await child.exited;
  }
  await server.close();
});

describe('three adapters in separate processes following one central policy', () => {
  it('a push changes their behaviour without a restart, and a rollback changes it back', async () => {
    const pushedAt = Date.now();
    expect((await admin('POST', '/v1/policies/payments/versions', { text: V2 })).status).toBe(201);
    for (const adapter of ADAPTERS) {
      const denied = await nextState(adapter, pushedAt, (state) => state.outcome === 'deny');
      expect(denied.message).toContain('Balances are switched off.');
    }
    const rolledAt = Date.now();
    expect((await admin('POST', '/v1/policies/payments/rollback', { version: 1 })).status).toBe(
      200,
    );
    for (const adapter of ADAPTERS) {
      await nextState(adapter, rolledAt, (state) => state.outcome === 'allow');
    }
  });

  it('an emergency stop reaches every process, survives a gate restart, and resume lifts it', async () => {
    const stoppedAt = Date.now();
    const stopped = await admin('POST', '/v1/stops', { scope: 'all', reason: 'incident 42' });
    expect(stopped.status).toBe(201);
    const latencies: Record<string, number> = {};
    for (const adapter of ADAPTERS) {
      const denied = await nextState(adapter, stoppedAt, (state) => state.outcome === 'deny');
      expect(denied.message).toContain('An operator stopped this agent');
      expect(denied.message).toContain('incident 42');
      latencies[adapter] = denied.at - stoppedAt;
    }
    // Measured, not asserted (the bench reports the p99 over 100 gates).
    console.log(`emergency stop, command to first denial (ms): ${JSON.stringify(latencies)}`);

    const core = children.get('core') as RunningChild;
    core.child.kill('SIGKILL');
    await core.exited;
    const restartedAt = Date.now();
    const restarted = start('core');
    const first = await nextState('core', restartedAt, () => true);
    expect(first.outcome).toBe('deny');
    expect(first.message).toContain('An operator stopped this agent');
    expect(states(restarted).some((state) => state.outcome === 'allow')).toBe(false);

    const resumedAt = Date.now();
    expect((await admin('DELETE', '/v1/stops/all')).status).toBe(204);
    for (const adapter of ADAPTERS) {
      await nextState(adapter, resumedAt, (state) => state.outcome === 'allow');
    }
  });
});

import {
  ApiError,
  type ApprovalRequest,
  CountersignClient,
  createGate,
  type Gate,
  type GateCheckInput,
  type GateDecision,
  type Policy,
} from '@countersign/core';
import { startTestServer, type TestServer, type TestServerOptions } from '@countersign/server/test';
import { expect } from 'vitest';

/** A real server with one agent and three reviewers (alice and bob in `ops`, carol in `legal`). */
export interface Harness {
  server: TestServer;
  /** The agent's client (the gate's approval service). */
  agent: CountersignClient;
  alice: CountersignClient;
  bob: CountersignClient;
  carol: CountersignClient;
  admin: CountersignClient;
  /** A fresh gate over a fresh agent client, as a restarted agent process would have. */
  gate(policy: Policy, options?: { waitTimeoutMs?: number }): Gate;
  /** Every request on the server, as the admin sees them. */
  allRequests(): Promise<ApprovalRequest[]>;
  /** Resolves with the next pending request this harness has not handed out yet. */
  nextPending(): Promise<ApprovalRequest>;
  close(): Promise<void>;
}

/** Fast retries so the fail-closed and reconnect paths finish in milliseconds. */
export const FAST_RETRY = { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 50 } as const;
/** A wait gives up on a server that stays down this soon (restarts: client-restart.test.ts). */
export const SHORT_RECONNECT_WINDOW_MS = 200;

export function clientFor(url: string, apiKey: string): CountersignClient {
  return new CountersignClient({
    baseUrl: url,
    apiKey,
    retry: FAST_RETRY,
    reconnectWindowMs: SHORT_RECONNECT_WINDOW_MS,
  });
}

export async function startHarness(options: TestServerOptions = {}): Promise<Harness> {
  const server = await startTestServer(options);
  const agentKey = await server.createKey({ role: 'agent', name: 'bot' });
  const keys = await Promise.all([
    server.createKey({ role: 'reviewer', name: 'alice', groups: ['ops'] }),
    server.createKey({ role: 'reviewer', name: 'bob', groups: ['ops'] }),
    server.createKey({ role: 'reviewer', name: 'carol', groups: ['legal'] }),
  ]);
  const [alice, bob, carol] = keys.map((key) => clientFor(server.url, key)) as [
    CountersignClient,
    CountersignClient,
    CountersignClient,
  ];
  const admin = clientFor(server.url, server.adminKey);
  const handedOut = new Set<string>();
  const allRequests = async () => {
    const items: ApprovalRequest[] = [];
    let cursor: string | null = null;
    do {
      const page = await admin.list({ limit: 100, ...(cursor ? { cursor } : {}) });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };
  return {
    server,
    agent: clientFor(server.url, agentKey),
    alice,
    bob,
    carol,
    admin,
    gate: (policy, gateOptions = {}) =>
      createGate({
        policy,
        service: clientFor(server.url, agentKey),
        ...(gateOptions.waitTimeoutMs === undefined
          ? {}
          : { defaultWaitTimeoutMs: gateOptions.waitTimeoutMs }),
      }),
    allRequests,
    async nextPending() {
      const until = Date.now() + 10_000;
      for (;;) {
        const pending = (await admin.list({ status: 'pending' })).items;
        const fresh = pending.find((request) => !handedOut.has(request.id));
        if (fresh) {
          handedOut.add(fresh.id);
          return fresh;
        }
        if (Date.now() > until) throw new Error('the gate never created a request');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => server.close(),
  };
}

/** A tool body that records each run, so tests can assert it never ran on a deny. */
export function recordingTool() {
  const runs: unknown[] = [];
  return {
    runs,
    /** Runs the tool through the gate, the way an adapter does. */
    async call(gate: Gate, input: GateCheckInput): Promise<GateDecision> {
      const decision = await gate.check(input);
      if (decision.outcome === 'allow') runs.push(decision.args);
      return decision;
    },
  };
}

/** Asserts that a client call fails with an API error of this HTTP status (and code). */
export async function expectApiError(call: Promise<unknown>, status: number, code?: string) {
  const error = await call.then(
    () => {
      throw new Error(`expected an API error ${status}, the call succeeded`);
    },
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw error;
  expect(error.status).toBe(status);
  if (code !== undefined) expect(error.code).toBe(code);
}

import { createServer } from 'node:net';
import {
  type ApprovalRequest,
  CountersignError,
  createGate,
  definePolicy,
  fingerprint,
  type Gate,
  type GateDecision,
} from '@countersign/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, recordingTool, startHarness } from './e2e-harness.ts';
import { type StandIn, type StandInReply, startStandIn } from './stand-in-server.ts';

const policy = definePolicy({
  version: 1,
  default: 'require',
  rules: [{ name: 'reads', tools: ['get_*'], action: 'allow' }],
});
const args = { amount: 100, to: 'acc_1' };
const call = { toolName: 'transfer_funds', args, runId: 'run-1', toolCallId: 'call-1' };

/** A loopback URL on which nothing listens: a port that was free a moment ago. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function gateOn(url: string): Gate {
  return createGate({ policy, service: clientFor(url, 'csk_test') });
}

function expectUnavailable(decision: GateDecision) {
  expect(decision).toMatchObject({ outcome: 'deny', reason: 'unavailable' });
  if (decision.outcome !== 'deny') throw new Error('expected a deny');
  expect(decision.message).toContain('could not be reached or did not answer properly');
  expect(decision.message).toContain('did not run');
  expect(decision.message).toContain('not a rejection');
  expect(CountersignError.isInstance(decision.cause)).toBe(true);
}

describe('fail closed: the server is down', () => {
  it('a closed port denies with unavailable and the tool never runs; allowed calls still run', async () => {
    const url = await closedPortUrl();
    const tool = recordingTool();
    const gate = gateOn(url);
    expectUnavailable(await tool.call(gate, call));
    expect(tool.runs).toEqual([]);
    expect(await tool.call(gate, { toolName: 'get_balance', args: {} })).toMatchObject({
      outcome: 'allow',
    });
    expect(tool.runs).toEqual([{}]);
  });

  it('a server that dies during the wait and stays down denies with unavailable', async () => {
    const h = await startHarness();
    const tool = recordingTool();
    const checking = tool.call(h.gate(policy), call);
    await h.nextPending();
    await h.close();
    const decision = await checking;
    expectUnavailable(decision);
    expect(decision).toHaveProperty('requestId');
    expect(tool.runs).toEqual([]);
  });
});

describe('fail closed: a server that answers garbage', () => {
  let sample: { pending: ApprovalRequest; approved: ApprovalRequest };
  let standIn: StandIn | undefined;
  beforeAll(async () => {
    // Real protocol bodies to tamper with, taken from the real server.
    const h = await startHarness();
    const checking = h.gate(policy).check(call);
    const pending = await h.nextPending();
    const approved = await h.alice.decide(pending.id, { outcome: 'approve' });
    await checking;
    await h.close();
    sample = { pending, approved };
  });
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });

  async function checkAgainst(reply: (method: string, path: string) => StandInReply) {
    standIn = await startStandIn((request) =>
      reply(request.method ?? 'GET', request.url?.split('?')[0] ?? ''),
    );
    const tool = recordingTool();
    const decision = await tool.call(gateOn(standIn.url), call);
    expect(decision.outcome).toBe('deny');
    expect(tool.runs).toEqual([]);
    return decision;
  }
  const json = (value: unknown): StandInReply => ({ status: 200, body: JSON.stringify(value) });

  it('HTML with status 200 → deny unavailable', async () => {
    const decision = await checkAgainst(() => ({
      status: 200,
      contentType: 'text/html',
      body: '<html><body>Welcome to nginx!</body></html>',
    }));
    expectUnavailable(decision);
  });

  it('invalid JSON → deny unavailable', async () => {
    expectUnavailable(await checkAgainst(() => ({ status: 200, body: '{"id": "req_1", "sta' })));
  });

  it('JSON that is not an approval request → deny unavailable', async () => {
    expectUnavailable(await checkAgainst(() => json({ ok: true, status: 'approved' })));
  });

  it('an HTML 502 from a proxy → deny unavailable after the retries', async () => {
    let creates = 0;
    const decision = await checkAgainst((method) => {
      if (method === 'POST') creates += 1;
      return { status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' };
    });
    expectUnavailable(decision);
    expect(creates).toBe(3);
  });

  it('a good create, then garbage on every wait transport → deny unavailable', async () => {
    const decision = await checkAgainst((method) =>
      method === 'POST'
        ? { status: 201, body: JSON.stringify(sample.pending) }
        : { status: 200, contentType: 'text/html', body: '<p>maintenance</p>' },
    );
    expectUnavailable(decision);
    expect(decision).toMatchObject({ requestId: sample.pending.id });
  });

  it('an "approved" answer about another call → deny unavailable', async () => {
    const other = { ...sample.approved, tool: { name: 'delete_account', args: {} } };
    expectUnavailable(await checkAgainst(() => json(other)));
  });

  it('an approval whose fingerprint does not match its arguments → deny invalid', async () => {
    const swapped = {
      ...sample.approved,
      resolution: {
        ...sample.approved.resolution,
        args: { amount: 100_000, to: 'acc_evil' },
        fingerprint: fingerprint('transfer_funds', args),
      },
    };
    const decision = await checkAgainst(() => json(swapped));
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'invalid' });
    if (decision.outcome !== 'deny') throw new Error('expected a deny');
    expect(decision.message).toContain(
      'the approved arguments differ from the ones that would run',
    );
  });

  it('an approval that names no fingerprint → deny invalid', async () => {
    const unbound = {
      ...sample.approved,
      resolution: { ...sample.approved.resolution, fingerprint: undefined },
    };
    const decision = await checkAgainst(() => json(unbound));
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'invalid' });
    if (decision.outcome !== 'deny') throw new Error('expected a deny');
    expect(decision.message).toContain('does not name the arguments it approved');
  });

  it('an "edit" to arguments the policy denies → deny policy, even from a lying server', async () => {
    const huge = { amount: 100_000, to: 'acc_evil' };
    const edited = {
      ...sample.approved,
      resolution: {
        ...sample.approved.resolution,
        args: huge,
        edited: true,
        fingerprint: fingerprint('transfer_funds', huge),
      },
    };
    standIn = await startStandIn(() => json(edited));
    const strict = definePolicy({
      version: 1,
      default: 'require',
      rules: [
        { name: 'cap', tools: ['transfer_funds'], when: 'args.amount > 10000', action: 'deny' },
      ],
    });
    const tool = recordingTool();
    const gate = createGate({ policy: strict, service: clientFor(standIn.url, 'csk_test') });
    const decision = await tool.call(gate, call);
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'policy', rule: 'cap' });
    expect(tool.runs).toEqual([]);
  });
});

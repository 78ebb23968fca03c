import { describe, expect, it } from 'vitest';
import type { ApprovalService } from '../client/client-types.js';
import { ApiError } from '../errors/index.js';
import { fingerprint } from '../fingerprint/index.js';
import { createGate } from '../gate/create-gate.js';
import type { GateAllow } from '../gate/gate-types.js';
import { definePolicy } from '../policy/index.js';
import type { ApprovalRequest, ExecutionReportInput } from '../protocol/index.js';
import { runReported } from './run-reported.js';

const args = { to: 'bob', amount: 5 };
const at = '2030-01-01T00:00:00.000Z';

function approvedRequest(extra: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const print = fingerprint('pay', args);
  return {
    id: 'req_1',
    kind: 'approval',
    status: 'approved',
    version: 2,
    action: 'pay bob',
    tool: { name: 'pay', args },
    fingerprint: print,
    context: {},
    assignees: [],
    quorum: 1,
    requester: 'agent:bot',
    createdAt: at,
    updatedAt: at,
    reminders: [],
    decisions: [],
    resolution: {
      status: 'approved',
      at,
      by: ['user:alice'],
      args,
      fingerprint: print,
      receipt: 'head.body.signature',
      receiptId: 'rct_1',
    },
    links: { self: '/v1/requests/req_1', wait: '/w', events: '/e' },
    ...extra,
  };
}

/** An approval service that answers every create with `request` and records the reports. */
function stubService(request: ApprovalRequest, refuse?: (body: ExecutionReportInput) => boolean) {
  const reports: ExecutionReportInput[] = [];
  const service = {
    create: async () => request,
    get: async () => request,
    list: async () => ({ items: [request], nextCursor: null }),
    wait: async () => request,
    decide: async () => request,
    cancel: async () => request,
    update: async () => request,
    reportExecution: async (_id: string, body: ExecutionReportInput) => {
      if (refuse?.(body)) {
        throw new ApiError('conflict', { message: 'already running or ran', status: 409 });
      }
      reports.push(body);
      return request;
    },
  } as unknown as ApprovalService;
  return { service, reports };
}

const policy = definePolicy({ version: 1, default: 'require' });
const check = (service: ApprovalService) =>
  createGate({ policy, service }).check({ toolName: 'pay', args });

describe('receipts on allow and reported execution', () => {
  it('hands the receipt on allow and reports executing, then succeeded, with one attempt id', async () => {
    const { service, reports } = stubService(approvedRequest());
    const gate = createGate({ policy, service });
    const decision = (await gate.check({ toolName: 'pay', args })) as GateAllow;
    expect(decision).toMatchObject({
      outcome: 'allow',
      receipt: 'head.body.signature',
      receiptId: 'rct_1',
    });
    const run = await runReported(gate, decision, () => 'paid');
    expect(run).toEqual({ ran: true, value: 'paid' });
    expect(reports.map((report) => report.state)).toEqual(['executing', 'succeeded']);
    expect(new Set(reports.map((report) => report.attempt)).size).toBe(1);
  });

  it('hands the tool the receipt the server re-signed at executing, for this exact call only', async () => {
    const stored = approvedRequest();
    const resolution = stored.resolution as NonNullable<ApprovalRequest['resolution']>;
    const answers = [
      { ...stored, resolution: { ...resolution, receipt: 'head.renewed.signature' } },
      {
        ...stored,
        resolution: { ...resolution, receipt: 'head.other.signature', fingerprint: 'x' },
      },
    ];
    for (const [answer, expected] of [
      [answers[0], 'head.renewed.signature'],
      [answers[1], 'head.body.signature'],
    ] as const) {
      const { service } = stubService(stored);
      service.reportExecution = async () => answer as ApprovalRequest;
      const gate = createGate({ policy, service });
      const decision = (await gate.check({ toolName: 'pay', args })) as GateAllow;
      const run = await runReported(gate, decision, () => decision.receipt);
      expect(run).toEqual({ ran: true, value: expected });
    }
  });

  it('does not run the call when the server refuses executing, and says it already ran', async () => {
    const { service } = stubService(approvedRequest(), (body) => body.state === 'executing');
    const gate = createGate({ policy, service });
    const decision = (await gate.check({ toolName: 'pay', args })) as GateAllow;
    let ran = false;
    const run = await runReported(gate, decision, () => {
      ran = true;
    });
    expect(ran).toBe(false);
    expect(run).toMatchObject({
      ran: false,
      denial: { reason: 'already_ran', requestId: 'req_1' },
    });
  });

  it('reports failed with the error text and rethrows', async () => {
    const { service, reports } = stubService(approvedRequest());
    const gate = createGate({ policy, service });
    const decision = (await gate.check({ toolName: 'pay', args })) as GateAllow;
    await expect(
      runReported(gate, decision, () => {
        throw new Error('x'.repeat(3000));
      }),
    ).rejects.toThrow();
    expect(reports[1]).toMatchObject({ state: 'failed' });
    expect(reports[1]?.error).toHaveLength(1000);
  });

  it('denies a re-attached approval that was already reported executing', async () => {
    const execution = { state: 'executing', attempt: 'a', by: 'agent:bot', startedAt: at } as const;
    const { service } = stubService(approvedRequest({ execution }));
    const decision = await check(service);
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'already_ran', requestId: 'req_1' });
    expect(decision.outcome === 'deny' && decision.message).toContain('already running or ran');
  });

  it('reports nothing for a call the policy allowed', async () => {
    const { service, reports } = stubService(approvedRequest());
    const gate = createGate({ policy: definePolicy({ version: 1, default: 'allow' }), service });
    const decision = (await gate.check({ toolName: 'pay', args })) as GateAllow;
    expect(await runReported(gate, decision, () => 1)).toEqual({ ran: true, value: 1 });
    expect(reports).toEqual([]);
  });
});

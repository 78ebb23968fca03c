import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/index.js';
import type { GateAllow } from '../gate/gate-types.js';
import { ReportedRuns } from './reported-runs.js';
import type { ReportingGate } from './run-reported.js';

const approved: GateAllow = {
  outcome: 'allow',
  args: { to: 'bob' },
  edited: false,
  fingerprint: 'sha256:x',
  requestId: 'req_1',
  approvedBy: ['user:alice'],
  receipt: 'head.body.signature',
  receiptId: 'rct_1',
};

/** A gate that records its reports, and refuses `executing` when told to. */
function recordingGate(refuseExecuting = false) {
  const reports: string[] = [];
  const gate: ReportingGate = {
    check: async () => approved,
    report: async (_decision, state, details) => {
      if (refuseExecuting && state === 'executing') {
        throw new ApiError('conflict', { message: 'already running or ran', status: 409 });
      }
      reports.push(details?.error === undefined ? state : `${state}: ${String(details.error)}`);
    },
  };
  return { gate, reports };
}

describe('ReportedRuns', () => {
  it('reports executing, hands out the approval until the end, then reports the outcome once', async () => {
    const { gate, reports } = recordingGate();
    const runs = new ReportedRuns<string>();
    expect(await runs.begin('run-1', gate, approved)).toBeUndefined();
    expect(runs.approval('run-1')).toMatchObject({ requestId: 'req_1', receipt: approved.receipt });
    await runs.end('run-1', { error: new Error('boom') });
    await runs.end('run-1');
    expect(runs.approval('run-1')).toBeUndefined();
    expect(reports).toEqual(['executing', 'failed: Error: boom']);
  });

  it('keeps nothing when the server refuses executing, and returns the denial', async () => {
    const { gate, reports } = recordingGate(true);
    const runs = new ReportedRuns<string>();
    const denial = await runs.begin('run-1', gate, approved);
    expect(denial).toMatchObject({ outcome: 'deny', reason: 'already_ran', requestId: 'req_1' });
    expect(runs.approval('run-1')).toBeUndefined();
    expect(reports).toEqual([]);
  });

  it('keeps nothing for a call the policy allowed (no request, nothing to report)', async () => {
    const { gate, reports } = recordingGate();
    const runs = new ReportedRuns<string>();
    const { requestId: _, receipt: __, receiptId: ___, ...allowed } = approved;
    expect(await runs.begin('run-1', gate, allowed)).toBeUndefined();
    await runs.end('run-1');
    expect(runs.approval('run-1')).toBeUndefined();
    expect(reports).toEqual([]);
  });
});

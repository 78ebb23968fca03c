import { definePolicy, fingerprint } from '@countersign/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, recordingTool, startHarness } from './e2e-harness.ts';

// Transfers let reviewers add grants (for at most 2 hours); deploys never do.
const policy = definePolicy({
  version: 1,
  default: 'require',
  approval: { assignees: ['group:ops'], timeout: '1h' },
  rules: [
    { name: 'transfers', tools: ['transfer_*'], action: 'require', grants: { maxLifetime: '2h' } },
    { name: 'deploys', tools: ['deploy'], action: 'require', grants: false },
  ],
});

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('grants through the gate, against the real server', () => {
  it('approves a later call within the grant at create time, with nobody deciding', async () => {
    const tool = recordingTool();
    const first = tool.call(h.gate(policy), {
      toolName: 'transfer_funds',
      args: { amount: 450, to: 'acc_1' },
      runId: 'run-1',
      toolCallId: 'call-1',
    });
    const request = await h.nextPending();
    await h.alice.decide(request.id, {
      outcome: 'approve',
      grant: { when: 'args.amount <= 500', appliesTo: 'agent', lifetime: '1h', maxUses: 2 },
    });
    expect(await first).toMatchObject({ outcome: 'allow', approvedBy: ['user:alice'] });

    // A fresh gate (a restarted agent): its request is approved in the create call itself.
    const args = { amount: 300, to: 'acc_2' };
    const second = await tool.call(h.gate(policy), {
      toolName: 'transfer_funds',
      args,
      runId: 'run-2',
      toolCallId: 'call-1',
    });
    const { items } = await h.alice.listGrants();
    expect(items).toHaveLength(1);
    const grant = items[0];
    expect(second).toMatchObject({
      outcome: 'allow',
      args,
      edited: false,
      fingerprint: fingerprint('transfer_funds', args),
      rule: 'transfers',
      approvedBy: ['user:alice'],
      grant: { id: grant?.id, grantedBy: 'user:alice' },
    });
    expect(tool.runs).toEqual([{ amount: 450, to: 'acc_1' }, args]);

    // Above the bound, or once revoked, a human is asked again.
    const above = tool.call(h.gate(policy, { waitTimeoutMs: 50 }), {
      toolName: 'transfer_funds',
      args: { amount: 900, to: 'acc_2' },
      runId: 'run-3',
    });
    expect((await above).outcome).toBe('pending');
    await h.alice.revokeGrant(grant?.id as string);
    const revoked = await tool.call(h.gate(policy, { waitTimeoutMs: 50 }), {
      toolName: 'transfer_funds',
      args,
      runId: 'run-4',
    });
    expect(revoked.outcome).toBe('pending');
    expect(tool.runs).toHaveLength(2);
  });

  it('never short-cuts a rule with grants: false, even for a matching admin grant', async () => {
    await h.admin.createGrant({ tool: '*', appliesTo: 'any' });
    const tool = recordingTool();
    const deploy = await tool.call(h.gate(policy, { waitTimeoutMs: 50 }), {
      toolName: 'deploy',
      args: { version: '2.4.1' },
    });
    expect(deploy.outcome).toBe('pending');
    const transfer = await tool.call(h.gate(policy), {
      toolName: 'transfer_funds',
      args: { amount: 1 },
    });
    expect(transfer).toMatchObject({ outcome: 'allow', approvedBy: ['user:admin'] });
  });
});

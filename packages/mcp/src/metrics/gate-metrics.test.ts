import { createGate, definePolicy } from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { gateMetrics } from './gate-metrics.js';

const policy = definePolicy(
  {
    version: 1,
    default: 'allow',
    rules: [
      { name: 'no-deletes', tools: 'delete_*', action: 'deny' },
      { name: 'pay', tools: 'pay', action: 'require' },
    ],
  },
  'gate-metrics-test',
);

describe('gateMetrics', () => {
  it('counts checks by action and outcome and times them, on the registry given', async () => {
    const registry = new Registry();
    const metrics = gateMetrics(registry);
    const service = createFakeApprovalService();
    const gate = createGate({ policy, service, onDecision: metrics.onDecision });
    await gate.check({ toolName: 'read', args: {} });
    await gate.check({ toolName: 'read', args: {} });
    await gate.check({ toolName: 'delete_all', args: {} });
    const asked = gate.check({ toolName: 'pay', args: { amount: 1 } });
    const request = await service.waitForRequest((candidate) => candidate.status === 'pending');
    await service.decide(request.id, { outcome: 'approve' }, { principal: 'user:alice' });
    expect((await asked).outcome).toBe('allow');
    const text = await registry.metrics();
    expect(text).toContain('countersign_gate_decisions_total{action="allow",outcome="allow"} 2');
    expect(text).toContain('countersign_gate_decisions_total{action="deny",outcome="deny"} 1');
    expect(text).toContain('countersign_gate_decisions_total{action="require",outcome="allow"} 1');
    expect(text).toContain('countersign_gate_duration_seconds_count{action="allow"} 2');
    expect(text).toContain('countersign_gate_duration_seconds_count{action="require"} 1');
    expect(text).not.toContain('tool');
  });
});

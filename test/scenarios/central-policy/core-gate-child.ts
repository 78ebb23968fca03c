import { createGate, remotePolicy } from '@countersign/core';
import { runProbe } from './probe.ts';

// A plain core gate following the central policy "payments".
const policy = remotePolicy('payments', { reconnectDelayMs: 50 });
const gate = createGate({ policy });
await runProbe('core', async () => {
  const decision = await gate.check({ toolName: 'get_balance', args: { account: 'a' } });
  return {
    outcome: decision.outcome,
    message: decision.outcome === 'deny' ? decision.message : '',
    version: policy.version,
  };
});

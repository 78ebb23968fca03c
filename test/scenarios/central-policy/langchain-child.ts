import { remotePolicy } from '@countersign/core';
import { withApproval } from '@countersign/langchain';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { runProbe } from './probe.ts';

// A LangChain tool wrapped by the LangChain adapter, following the central policy "payments".
const policy = remotePolicy('payments', { reconnectDelayMs: 50 });
const balance = tool(async ({ account }) => `${account}: 100`, {
  name: 'get_balance',
  description: 'Read an account balance',
  schema: z.object({ account: z.string() }),
});
const guarded = withApproval(balance, { policy });
await runProbe('langchain', async () => {
  const result = String(await guarded.invoke({ account: 'a' }));
  return {
    outcome: result === 'a: 100' ? 'allow' : 'deny',
    message: result === 'a: 100' ? '' : result,
    version: policy.version,
  };
});

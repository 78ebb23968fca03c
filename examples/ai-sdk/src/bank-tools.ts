import { type ToolSet, tool } from 'ai';
import { z } from 'zod';

/** The chat's tools: a balance look-up the policy allows, and a transfer a manager must approve. */
export function bankTools(log: (line: string) => void = () => {}): ToolSet {
  return {
    get_balance: tool({
      description: 'Read the balance of an account',
      inputSchema: z.object({ account: z.string() }),
      execute: async ({ account }) => ({ account, balance: 1200 }),
    }),
    transfer_funds: tool({
      description: 'Send money to someone',
      inputSchema: z.object({ to: z.string().min(1), amount: z.number().positive().max(10_000) }),
      execute: async ({ to, amount }) => {
        log(`  [bank] transferring ${amount} to ${to}`);
        return { ok: true, txId: `tx-${to}-${amount}` };
      },
    }),
  };
}

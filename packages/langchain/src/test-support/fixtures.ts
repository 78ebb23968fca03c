import { definePolicy, type Policy, type PolicyDefinition } from '@countersign/core';
import { type BaseMessage, tool } from 'langchain';
import { z } from 'zod';
import { approvalOf } from '../approval-of.js';

/** A money-moving tool that records every execution. */
export function transferTool() {
  const executed: Array<{ to: string; amount: number }> = [];
  const transfer = tool(
    async (args) => {
      executed.push(args);
      return `sent ${args.amount} to ${args.to}`;
    },
    {
      name: 'transfer_funds',
      description: 'Send money to someone',
      schema: z.object({ to: z.string().min(1), amount: z.number().positive() }),
    },
  );
  return { transfer, executed };
}

/** A transfer tool that keeps the receipt it was handed, and fails when told to. */
export function receiptTool(fail = false) {
  const receipts: (string | undefined)[] = [];
  const transfer = tool(
    async (args, config) => {
      receipts.push(approvalOf(config)?.receipt);
      if (fail) throw new Error('the bank is closed');
      return `sent ${args.amount} to ${args.to}`;
    },
    {
      name: 'transfer_funds',
      description: 'Send money to someone',
      schema: z.object({ to: z.string().min(1), amount: z.number().positive() }),
    },
  );
  return { transfer, receipts };
}

/** A read-only tool the policy lets through. */
export function lookupTool() {
  const executed: string[] = [];
  const lookup = tool(
    async ({ q }) => {
      executed.push(q);
      return `result for ${q}`;
    },
    { name: 'lookup', description: 'Read-only search', schema: z.object({ q: z.string() }) },
  );
  return { lookup, executed };
}

/** Transfers need a human (never to mallory), lookups run freely, anything else is denied. */
export function bankPolicy(approval?: PolicyDefinition['approval']): Policy {
  return definePolicy(
    {
      version: 1,
      default: 'deny',
      message: 'This tool is not allowed.',
      rules: [
        { name: 'lookups', tools: 'lookup', action: 'allow' },
        {
          name: 'no-mallory',
          tools: 'transfer_*',
          when: "args.to == 'mallory'",
          action: 'deny',
          message: 'Transfers to mallory are blocked.',
        },
        {
          name: 'transfers',
          tools: 'transfer_*',
          action: 'require',
          when: 'args.amount > 0',
          ...(approval === undefined ? {} : { approval }),
        },
      ],
    },
    'bank-policy',
  );
}

/** The tool messages in a message list, as `{ id, status, content }`. */
export function toolMessages(messages: readonly BaseMessage[]) {
  return messages
    .filter((message) => message.type === 'tool')
    .map((message) => {
      const tm = message as unknown as { tool_call_id: string; status?: string; content: unknown };
      return { id: tm.tool_call_id, status: tm.status, content: String(tm.content) };
    });
}

// A stdio MCP server whose one tool runs only with a valid receipt in the call's
// `_meta["countersign/receipt"]`, which the Countersign MCP proxy adds to every approved call.
import { receiptFromMeta } from '@countersign/mcp';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { RefusedCall, receiptGuard } from './receipt-guard.ts';

const guard = receiptGuard();
// The tool's name as the agent called it: behind a proxy with several upstreams, `server__tool`.
const approvedName = process.env.RECEIPT_TOOL_NAME ?? 'transfer_funds';
const server = new McpServer({ name: 'receipt-bank', version: '1.0.0' });

server.registerTool(
  'transfer_funds',
  {
    description: 'Send money (only with a human-approved receipt)',
    inputSchema: { to: z.string(), amount: z.number().positive() },
    annotations: { destructiveHint: true },
  },
  async (args, extra) => {
    try {
      const claims = await guard(approvedName, args, receiptFromMeta(extra._meta));
      const text = `sent ${args.amount} to ${args.to} (approved by ${claims.approvers.join(', ')}, request ${claims.sub})`;
      process.stderr.write(`EXECUTED ${JSON.stringify(args)}\n`);
      return { content: [{ type: 'text', text }] };
    } catch (error) {
      const message = error instanceof RefusedCall ? error.message : `cannot check: ${error}`;
      return { content: [{ type: 'text', text: `refused: ${message}` }], isError: true };
    }
  },
);

await server.connect(new StdioServerTransport());

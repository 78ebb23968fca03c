import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { runProbe } from './probe.ts';

// An MCP client talking to `countersign-mcp proxy --policy server:payments` over stdio.
const proxy = fileURLToPath(
  new URL('../../../packages/mcp/bin/countersign-mcp.js', import.meta.url),
);
const upstream = fileURLToPath(
  new URL('../../../packages/mcp/src/test-support/destructive-upstream.ts', import.meta.url),
);
const client = new Client({ name: 'central-policy-probe', version: '1' });
await client.connect(
  new StdioClientTransport({
    command: process.execPath,
    args: [proxy, 'proxy', '--policy', 'server:payments', '--', process.execPath, upstream],
    env: {
      ...getDefaultEnvironment(),
      COUNTERSIGN_URL: process.env.COUNTERSIGN_URL as string,
      COUNTERSIGN_API_KEY: process.env.COUNTERSIGN_API_KEY as string,
    },
    stderr: 'inherit',
  }),
);
await runProbe('mcp', async () => {
  const result = (await client.callTool({ name: 'get_balance', arguments: { account: 'a' } })) as {
    isError?: boolean;
    content: Array<{ type: string; text?: string }>;
  };
  const text = result.content.map((part) => part.text ?? '').join(' ');
  return { outcome: result.isError ? 'deny' : 'allow', message: result.isError ? text : '' };
});

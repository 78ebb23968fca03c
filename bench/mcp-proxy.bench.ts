// The MCP proxy's overhead on allowed calls: the same read-only tool called directly and through
// `countersign-mcp proxy`, in the same run. Two pairs: real processes over stdio (what a desktop
// client sees), and in-process over in-memory pipes (the proxy's own cost without IPC).
import { fileURLToPath } from 'node:url';
import { createGate, DEFAULT_POLICY } from '@countersign/core';
import { createFakeApprovalService } from '@countersign/core/test';
import {
  createProxyServerFactory,
  PendingCallStore,
  UpstreamSet,
  upstreamFromClient,
} from '@countersign/mcp';
import { startTestServer } from '@countersign/server/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createDestructiveUpstream } from '../packages/mcp/src/test-support/destructive-upstream.ts';

const CLI = fileURLToPath(new URL('../packages/mcp/bin/countersign-mcp.js', import.meta.url));
const UPSTREAM = fileURLToPath(
  new URL('../packages/mcp/src/test-support/destructive-upstream.ts', import.meta.url),
);
const WARMUP = 300;
const CALLS = 3_000;
const call = { name: 'get_balance', arguments: { account: 'acct-1' } };

interface Latency {
  name: string;
  p50: number;
  p99: number;
  mean: number;
}

async function time(name: string, client: Client): Promise<Latency> {
  for (let index = 0; index < WARMUP; index += 1) await client.callTool(call);
  const samples: number[] = [];
  for (let index = 0; index < CALLS; index += 1) {
    const started = process.hrtime.bigint();
    const result = await client.callTool(call);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.isError) throw new Error(`${name}: the call failed`);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  const mean = samples.reduce((sum, each) => sum + each, 0) / samples.length;
  return { name, p50: at(0.5), p99: at(0.99), mean };
}

async function stdioClient(args: string[], env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args,
      env: { ...getDefaultEnvironment(), ...env },
      stderr: 'ignore',
    }),
  );
  return client;
}

async function inMemoryPair(server: { connect(t: InMemoryTransport): Promise<void> }) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(clientSide);
  return client;
}

function print(title: string, rows: Latency[]): void {
  const base = rows[0]!;
  console.log(`\n${title}\n`);
  console.log('| case | p50 ms | p99 ms | mean ms | p50 vs direct | added at p50 |');
  console.log('|:-----|-------:|-------:|--------:|--------------:|-------------:|');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${row.p50.toFixed(3)} | ${row.p99.toFixed(3)} | ${row.mean.toFixed(3)} | ${(row.p50 / base.p50).toFixed(2)}x | ${(row.p50 - base.p50).toFixed(3)} ms |`,
    );
  }
}

const server = await startTestServer();
const agentKey = await server.createKey({ role: 'agent', name: 'bench' });
const direct = await stdioClient([UPSTREAM], {});
const proxied = await stdioClient([CLI, 'proxy', '--', process.execPath, UPSTREAM], {
  COUNTERSIGN_URL: server.url,
  COUNTERSIGN_API_KEY: agentKey,
});
const processRows = [
  await time('direct (stdio)', direct),
  await time('via proxy (stdio, 2 hops)', proxied),
];
await Promise.all([direct.close(), proxied.close()]);

const upstreamServer = createDestructiveUpstream(() => {});
const upstreamClient = await inMemoryPair(upstreamServer);
const upstreams = await UpstreamSet.fromConnections([
  upstreamFromClient({ name: 'upstream', command: 'in-memory', args: [] }, upstreamClient),
]);
const proxyServer = createProxyServerFactory({
  upstreams,
  gate: createGate({ policy: DEFAULT_POLICY, service: createFakeApprovalService() }),
  store: await PendingCallStore.open(),
})();
const memoryProxied = await inMemoryPair(proxyServer);
const memoryRows = [
  await time('direct (in-memory)', upstreamClient),
  await time('via proxy (in-memory)', memoryProxied),
];
await Promise.all([memoryProxied.close(), upstreams.close(), server.close()]);

print(
  `MCP proxy overhead, allowed read-only call, ${CALLS} sequential calls (real processes)`,
  processRows,
);
print('MCP proxy overhead, same call in one process (the proxy’s own cost, no IPC)', memoryRows);

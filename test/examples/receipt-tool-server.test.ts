// examples/receipt-tool-server: tool servers that refuse calls without a valid decision receipt,
// one behind the real MCP proxy and one plain HTTP endpoint, against a real Countersign server.
import { fileURLToPath } from 'node:url';
import { CountersignClient, createGate, definePolicy } from '@countersign/core';
import {
  connectUpstream,
  createProxyServerFactory,
  PendingCallStore,
  UpstreamSet,
} from '@countersign/mcp';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../scenarios/child-process.ts';

const source = (file: string) =>
  fileURLToPath(new URL(`../../examples/receipt-tool-server/src/${file}`, import.meta.url));
const policy = definePolicy({ version: 1, default: 'require' }, 'receipt-example');
const args = { to: 'bob', amount: 50 };

let server: TestServer;
let agent: CountersignClient;
let reviewer: CountersignClient;
let toolEnv: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer();
  agent = new CountersignClient({
    baseUrl: server.url,
    apiKey: await server.createKey({ role: 'agent', name: 'payer' }),
  });
  reviewer = new CountersignClient({
    baseUrl: server.url,
    apiKey: await server.createKey({ role: 'reviewer', name: 'alice' }),
  });
  const toolKey = await server.createKey({ role: 'agent', name: 'bank-tools' });
  toolEnv = { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: toolKey };
});
afterAll(() => server.close());

async function approveNext() {
  for (let attempt = 0; attempt < 500; attempt++) {
    const [request] = (await reviewer.list({ status: 'pending' })).items;
    if (request) return reviewer.decide(request.id, { outcome: 'approve' });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no pending request');
}

describe('a plain HTTP tool endpoint that demands a receipt', () => {
  it('refuses calls without a valid, unused receipt and runs an approved one once', async () => {
    const http = runNode(source('http-server.ts'), [], { env: { ...toolEnv, PORT: '0' } });
    try {
      const [, url] = await http.waitFor(/listening on (http:\/\/[\d.:]+)/);
      const call = (body: object, receipt?: string) =>
        fetch(`${url}/tools/transfer_funds`, {
          method: 'POST',
          headers: receipt ? { 'countersign-receipt': receipt } : {},
          body: JSON.stringify(body),
        });
      const bare = await call(args);
      expect(bare.status).toBe(403);
      expect(((await bare.json()) as { error: string }).error).toContain('needs a Countersign');

      const gate = createGate({ policy, service: agent });
      const [decision] = await Promise.all([
        gate.check({ toolName: 'transfer_funds', args }),
        approveNext(),
      ]);
      expect(decision.outcome).toBe('allow');
      const receipt = decision.outcome === 'allow' ? decision.receipt : undefined;
      expect(receipt).toBeDefined();
      const tampered = await call({ ...args, amount: 5000 }, receipt);
      expect(tampered.status).toBe(403);
      expect(((await tampered.json()) as { error: string }).error).toContain('fingerprint');
      expect(await (await call(args, `${receipt}x`)).status).toBe(403);
      const ran = await call(args, receipt);
      expect(ran.status).toBe(200);
      expect(await ran.json()).toMatchObject({ ok: true, amount: 50 });
      const replay = await call(args, receipt);
      expect(replay.status).toBe(403);
      expect(http.output().match(/EXECUTED/g)).toHaveLength(1);
    } finally {
      http.child.kill();
      await http.exited;
    }
  });
});

describe('an MCP tool server behind the Countersign MCP proxy', () => {
  it('gets the receipt in _meta from the proxy, while a direct call without one is refused', async () => {
    const spec = {
      name: 'bank',
      command: process.execPath,
      args: [source('mcp-server.ts')],
      env: toolEnv,
    };
    const upstream = await connectUpstream(spec, { stderr: 'ignore' });
    const direct = await connectUpstream(spec, { stderr: 'ignore' });
    const upstreams = await UpstreamSet.fromConnections([upstream]);
    const factory = createProxyServerFactory({
      upstreams,
      gate: createGate({ policy, service: agent }),
      store: await PendingCallStore.open(),
      maxWaitMs: 30_000,
    });
    const proxy = factory();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await proxy.connect(serverSide);
    const client = new Client({ name: 'agent', version: '1' });
    await client.connect(clientSide);
    try {
      const refused = await direct.client.callTool({ name: 'transfer_funds', arguments: args });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toContain('needs a Countersign decision receipt');

      const [result, decided] = await Promise.all([
        client.callTool({ name: 'transfer_funds', arguments: args }),
        approveNext(),
      ]);
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.content)).toContain(
        `sent 50 to bob (approved by user:alice, request ${decided.id})`,
      );
      const stored = await reviewer.get(decided.id);
      expect(stored.execution).toMatchObject({ state: 'succeeded', by: 'agent:payer' });
    } finally {
      await client.close();
      await proxy.close();
      await upstreams.close();
      await direct.close();
    }
  });

  it('reports the call failed when the upstream refuses it (here: a receipt for another tool name)', async () => {
    const upstream = await connectUpstream(
      {
        name: 'bank',
        command: process.execPath,
        args: [source('mcp-server.ts')],
        env: { ...toolEnv, RECEIPT_TOOL_NAME: 'bank__transfer_funds' },
      },
      { stderr: 'ignore' },
    );
    const upstreams = await UpstreamSet.fromConnections([upstream]);
    const proxy = createProxyServerFactory({
      upstreams,
      gate: createGate({ policy, service: agent }),
      store: await PendingCallStore.open(),
      maxWaitMs: 30_000,
    })();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await proxy.connect(serverSide);
    const client = new Client({ name: 'agent', version: '1' });
    await client.connect(clientSide);
    try {
      const [result, decided] = await Promise.all([
        client.callTool({ name: 'transfer_funds', arguments: { to: 'carol', amount: 7 } }),
        approveNext(),
      ]);
      expect(result.isError).toBe(true);
      const stored = await reviewer.get(decided.id);
      expect(stored.execution).toMatchObject({ state: 'failed' });
      expect(stored.execution?.error).toContain('refused');
    } finally {
      await client.close();
      await proxy.close();
      await upstreams.close();
    }
  });
});

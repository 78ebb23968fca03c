import { type ApprovalService, createGate, type Gate, type Policy } from '@countersign/core';
import { createFakeApprovalService, type FakeApprovalService } from '@countersign/core/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type {
  ClientCapabilities,
  ElicitRequest,
  ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalChannel } from '../proxy/elicit-approval.js';
import { PendingCallStore } from '../proxy/pending-call-store.js';
import { createProxyServerFactory } from '../proxy/proxy-server.js';
import { upstreamFromClient } from '../upstream/upstream-connection.js';
import { UpstreamSet } from '../upstream/upstream-set.js';
import { createDestructiveUpstream, type UpstreamCallRecord } from './destructive-upstream.js';

/** Options for {@link startInProcessProxy}. */
export interface InProcessProxyOptions {
  policy?: Policy;
  service?: FakeApprovalService;
  maxWaitMs?: number;
  stateFile?: string;
  defaultChannel?: ApprovalChannel;
  /** Answers elicitation; when absent the client does not declare the capability. */
  onElicit?: (request: ElicitRequest) => ElicitResult | Promise<ElicitResult>;
  /** Reuse the calls array of an earlier proxy (for restart tests). */
  calls?: UpstreamCallRecord[];
  runId?: string;
  /** Hand the proxy `policy` and `service` to make its own gate, instead of a ready gate. */
  gateFromOptions?: boolean;
  /** A ready gate instead (over a real server's client, say), with what cancels its requests. */
  gate?: { gate: Gate; requests: Pick<ApprovalService, 'cancel'> };
  /** The dashboard's public address (links in the approval card and the approval page). */
  publicUrl?: string;
  /** More capabilities the test client declares (e.g. MCP Apps `extensions`). */
  clientCapabilities?: ClientCapabilities;
}

/** The proxy with the test upstream and an SDK client, all in one process over in-memory pipes. */
export async function startInProcessProxy(options: InProcessProxyOptions = {}) {
  const calls = options.calls ?? [];
  const upstreamServer = createDestructiveUpstream((call) => calls.push(call));
  const [upstreamClientSide, upstreamServerSide] = InMemoryTransport.createLinkedPair();
  await upstreamServer.connect(upstreamServerSide);
  const upstreamClient = new Client({ name: 'proxy-upstream', version: '1' });
  await upstreamClient.connect(upstreamClientSide);
  const upstreams = await UpstreamSet.fromConnections([
    upstreamFromClient({ name: 'upstream', command: 'in-memory', args: [] }, upstreamClient),
  ]);
  const service = options.service ?? createFakeApprovalService();
  const store = await PendingCallStore.open(options.stateFile);
  const policy = options.policy ? { policy: options.policy } : {};
  const gateSource =
    options.gate ??
    (options.gateFromOptions
      ? { service, ...policy }
      : { gate: createGate({ service, ...policy }), requests: service });
  const factory = createProxyServerFactory({
    upstreams,
    ...gateSource,
    store,
    maxWaitMs: options.maxWaitMs ?? 5_000,
    progressIntervalMs: 50,
    ...(options.defaultChannel ? { defaultChannel: options.defaultChannel } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  const server = factory();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client(
    { name: 'test-client', version: '1' },
    {
      capabilities: {
        ...(options.onElicit ? { elicitation: { form: {} } } : {}),
        ...options.clientCapabilities,
      },
    },
  );
  if (options.onElicit) {
    const answer = options.onElicit;
    client.setRequestHandler(ElicitRequestSchema, (request) => answer(request));
  }
  await client.connect(clientSide);
  return {
    client,
    upstreamServer,
    calls,
    service,
    store,
    async close() {
      factory.stopTasks();
      await client.close();
      await server.close();
      await upstreams.close();
      await upstreamServer.close();
    },
  };
}

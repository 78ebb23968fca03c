import { fileURLToPath } from 'node:url';
import { withApproval } from '@countersign/ai-sdk';
import { CountersignClient, createGate, definePolicy } from '@countersign/core';
import { startTracing, type TracingHandle } from '@countersign/core/telemetry';
import { countersignMiddleware } from '@countersign/langchain';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { tool as aiTool, generateText, isStepCount } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { AIMessage, createAgent, fakeModel, tool as langchainTool } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Receiver, startReceiver } from '../scenarios/webhook-receiver.js';
import { type CollectedSpan, OtlpCollector } from './otlp-collector.js';

const policy = definePolicy(
  {
    version: 1,
    default: 'allow',
    rules: [{ name: 'payments', tools: 'transfer_funds', action: 'require' }],
  },
  'trace-policy',
);

let collector: OtlpCollector;
let tracing: TracingHandle;
let server: TestServer;
let receiver: Receiver;
let agentKey: string;
let reviewer: CountersignClient;

beforeAll(async () => {
  collector = new OtlpCollector();
  await collector.start();
  // The SDK's own OTLP/HTTP exporter, started the way `countersign serve` starts it.
  tracing = (await startTracing('countersign-e2e', {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_BSP_SCHEDULE_DELAY: '20',
  })) as TracingHandle;
  expect(tracing).toBeDefined();
  server = await startTestServer();
  receiver = await startReceiver();
  agentKey = await server.createKey({ role: 'agent', name: 'traced-bot' });
  const reviewerKey = await server.createKey({ role: 'reviewer', name: 'alice' });
  reviewer = new CountersignClient({ baseUrl: server.url, apiKey: reviewerKey });
  const subscribed = await fetch(`${server.url}/v1/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, events: ['request.decided'] }),
  });
  expect(subscribed.status).toBe(201);
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
  await tracing?.shutdown();
  await collector?.stop();
});

/** Decides the next pending request as the reviewer, outside any agent span. */
function approveNext(): Promise<unknown> {
  return context.with(ROOT_CONTEXT, async () => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const { items } = await reviewer.list({ status: 'pending' });
      const [request] = items;
      if (request) return reviewer.decide(request.id, { outcome: 'approve' });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('nothing became pending');
  });
}

/** Runs `work` in the agent's own root span; returns its trace id. */
async function inAgentSpan(name: string, work: () => Promise<unknown>): Promise<string> {
  return trace.getTracer('e2e-agent').startActiveSpan(name, async (span) => {
    try {
      await work();
      return span.spanContext().traceId;
    } finally {
      span.end();
    }
  });
}

/**
 * Waits for the trace to hold the whole story, then checks it is one tree: every span but the
 * agent's root has its parent in the trace.
 */
async function connectedTrace(traceId: string, names: string[]): Promise<CollectedSpan[]> {
  const rootsOf = (spans: CollectedSpan[]) => {
    const ids = new Set(spans.map((span) => span.spanId));
    return spans.filter((span) => !ids.has(span.parentSpanId));
  };
  // Each process exports on its own schedule: a parent may arrive after its children.
  await collector.until(
    () => {
      const spans = collector.trace(traceId);
      return (
        names.every((name) => spans.some((span) => span.name === name)) &&
        rootsOf(spans).length === 1
      );
    },
    `the spans ${names.join(', ')} in trace ${traceId}, as one tree`,
  );
  const spans = collector.trace(traceId);
  expect(rootsOf(spans).map((span) => span.name)).toHaveLength(1);
  return spans;
}

const byName = (spans: CollectedSpan[], name: string) =>
  spans.find((span) => span.name === name) as CollectedSpan;

/** The server side every adapter's trace must contain, parented as designed. */
async function expectServerStory(spans: CollectedSpan[]): Promise<void> {
  const gate = byName(spans, 'countersign.gate');
  const create = byName(spans, 'POST /v1/requests');
  expect(create.parentSpanId).toBe(gate.spanId);
  expect(create.attributes['http.response.status_code']).toBe(201);
  const created = byName(spans, 'countersign.request.created');
  const decided = byName(spans, 'countersign.request.decided');
  expect(created.parentSpanId).toBe(create.spanId);
  // The decision joins the request's trace, under its create, and links the reviewer's request.
  expect(decided.parentSpanId).toBe(create.spanId);
  expect(decided.attributes).toMatchObject({
    'countersign.decision.outcome': 'approve',
    'countersign.decision.channel': 'api',
    'countersign.request.status': 'approved',
  });
  // The reviewer's call is in a trace of its own, exported on that trace's schedule.
  const linked = decided.links[0]?.spanId;
  expect(linked).toBeDefined();
  await collector.until(
    () => collector.spans.some((span) => span.spanId === linked),
    `the reviewer's call ${linked}, linked from the decision`,
  );
  const reviewerCall = collector.spans.find((span) => span.spanId === linked) as CollectedSpan;
  expect(reviewerCall.name).toBe('POST /v1/requests/:id/decisions');
  expect(reviewerCall.traceId).not.toBe(decided.traceId);
  const delivery = byName(spans, 'countersign.webhook.deliver');
  expect(delivery.parentSpanId).toBe(create.spanId);
  expect(delivery.attributes['countersign.delivery.result']).toBe('delivered');
  const requestId = decided.attributes['countersign.request.id'];
  const hook = receiver.deliveries.find((entry) => entry.body.includes(String(requestId)));
  expect(hook?.headers.traceparent).toBe(`00-${delivery.traceId}-${delivery.spanId}-01`);
}

const SERVER_SPANS = [
  'countersign.gate',
  'POST /v1/requests',
  'countersign.request.created',
  'countersign.request.decided',
  'countersign.webhook.deliver',
];

describe('one trace from the agent through the human decision to the call', () => {
  it('AI SDK: generateText with a gated tool', async () => {
    const ran: unknown[] = [];
    const gate = createGate({
      policy,
      service: new CountersignClient({ baseUrl: server.url, apiKey: agentKey }),
    });
    const usage = {
      inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 1, text: 1, reasoning: undefined },
    };
    const model = new MockLanguageModelV4({
      doGenerate: [
        {
          content: [
            {
              type: 'tool-call',
              toolCallId: 'call-1',
              toolName: 'transfer_funds',
              input: JSON.stringify({ to: 'bob', amount: 5 }),
            },
          ],
          finishReason: { unified: 'tool-calls', raw: undefined },
          usage,
          warnings: [],
        },
        {
          content: [{ type: 'text', text: 'done' }],
          finishReason: { unified: 'stop', raw: undefined },
          usage,
          warnings: [],
        },
      ],
    });
    const tools = {
      transfer_funds: aiTool({
        inputSchema: z.object({ to: z.string(), amount: z.number() }),
        execute: async (input) => {
          ran.push(input);
          return 'sent';
        },
      }),
    };
    const approved = approveNext();
    const traceId = await inAgentSpan('ai-sdk agent', () =>
      generateText({
        model,
        tools: withApproval(tools, { gate, runId: 'trace-ai' }),
        prompt: 'pay bob',
        stopWhen: isStepCount(3),
      }),
    );
    await approved;
    expect(ran).toEqual([{ to: 'bob', amount: 5 }]);
    await expectServerStory(await connectedTrace(traceId, SERVER_SPANS));
  });

  it('LangChain: a createAgent run with the Countersign middleware', async () => {
    const ran: unknown[] = [];
    const transfer = langchainTool(
      async (args) => {
        ran.push(args);
        return 'sent';
      },
      {
        name: 'transfer_funds',
        description: 'Send money',
        schema: z.object({ to: z.string(), amount: z.number() }),
      },
    );
    const agent = createAgent({
      model: fakeModel()
        .respondWithTools([{ name: 'transfer_funds', args: { to: 'bob', amount: 7 }, id: 'c1' }])
        .respond(new AIMessage('done')),
      tools: [transfer],
      middleware: [
        countersignMiddleware({
          policy,
          service: new CountersignClient({ baseUrl: server.url, apiKey: agentKey }),
        }),
      ],
    });
    const approved = approveNext();
    const traceId = await inAgentSpan('langchain agent', () =>
      agent.invoke(
        { messages: [{ role: 'user', content: 'pay bob' }] },
        { configurable: { thread_id: 'trace-langchain' } },
      ),
    );
    await approved;
    expect(ran).toEqual([{ to: 'bob', amount: 7 }]);
    await expectServerStory(await connectedTrace(traceId, SERVER_SPANS));
  });

  it('MCP: a call through the countersign-mcp proxy process', async () => {
    const bin = fileURLToPath(
      new URL('../node_modules/@countersign/mcp/bin/countersign-mcp.js', import.meta.url),
    );
    const upstream = fileURLToPath(
      new URL('../../packages/mcp/src/test-support/destructive-upstream.ts', import.meta.url),
    );
    let stderr = '';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        bin,
        'proxy',
        '--metrics-port',
        '0',
        '--log-format',
        'json',
        '--',
        process.execPath,
        upstream,
      ],
      env: {
        ...getDefaultEnvironment(),
        COUNTERSIGN_URL: server.url,
        COUNTERSIGN_API_KEY: agentKey,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '20',
        OTEL_SERVICE_NAME: 'mcp-proxy',
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const client = new Client({ name: 'traced-client', version: '1' });
    await client.connect(transport);
    try {
      const approved = approveNext();
      const traceId = await inAgentSpan('mcp client', async () => {
        // MCP carries trace context in the request's _meta, as instrumented clients send it.
        const span = trace.getActiveSpan()?.spanContext();
        const result = await client.callTool({
          name: 'transfer_funds',
          arguments: { to: 'bob', amount: 9 },
          _meta: { traceparent: `00-${span?.traceId}-${span?.spanId}-01` },
        });
        expect(JSON.stringify(result.content)).toContain('bob');
      });
      await approved;
      const spans = await connectedTrace(traceId, [...SERVER_SPANS, 'tools/call transfer_funds']);
      const call = byName(spans, 'tools/call transfer_funds');
      expect(call.service).toBe('mcp-proxy');
      expect(byName(spans, 'countersign.gate').parentSpanId).toBe(call.spanId);
      await expectServerStory(spans);
      const logged = stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.find((entry) => entry.msg === 'tools/call')).toMatchObject({
        service: 'countersign-mcp',
        tool: 'transfer_funds',
        isError: false,
        traceId,
      });
      expect(stderr).not.toContain(agentKey);
      const metricsUrl = /metrics at (http[^\s"]+)/.exec(stderr)?.[1] as string;
      const metrics = await (await fetch(metricsUrl)).text();
      expect(metrics).toMatch(
        /countersign_gate_decisions_total\{action="require",outcome="allow"\} 1/,
      );
      expect(metrics).toMatch(/countersign_gate_duration_seconds_count\{action="require"\} 1/);
    } finally {
      await client.close();
    }
  });
});

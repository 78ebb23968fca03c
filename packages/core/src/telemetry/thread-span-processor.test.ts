import {
  createTraceState,
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  type TraceFlags,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ScriptedServer,
  sendJson,
  startScriptedServer,
} from '../test-support/scripted-http-server.js';
import { PooledIdGenerator } from './random-ids.js';
import { ThreadSpanProcessor } from './thread-span-processor.js';
import { contextFromTraceparent } from './traceparent.js';

interface OtlpSpan {
  spanId: string;
  [field: string]: unknown;
}
interface OtlpBody {
  resourceSpans: { resource: unknown; scopeSpans: { scope: unknown; spans: OtlpSpan[] }[] }[];
}

let collector: ScriptedServer;
beforeAll(async () => {
  collector = await startScriptedServer((_request, response) => sendJson(response, 200, {}));
});
afterAll(() => collector.close());

/** Every export sent to `path`, as resource → scope → spans sorted by id, merged over requests. */
function exported(path: string) {
  const bodies = collector.requests
    .filter((request) => request.url === path)
    .map((request) => JSON.parse(request.body) as OtlpBody);
  const resources = bodies.flatMap((body) => body.resourceSpans);
  const spans = resources
    .flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans))
    .sort((a, b) => a.spanId.localeCompare(b.spanId));
  const headers = resources.map((resource) => ({
    resource: resource.resource,
    scopes: resource.scopeSpans.map((scope) => scope.scope),
  }));
  return { spans, headers: headers.slice(0, 1) };
}

describe('ThreadSpanProcessor', () => {
  it('exports from its thread exactly what the SDK exports in-thread', async () => {
    const thread = new ThreadSpanProcessor({ url: `${collector.url}/thread/v1/traces` });
    await thread.ready;
    const direct = new BatchSpanProcessor({
      exporter: new OTLPTraceExporter({ url: `${collector.url}/direct/v1/traces` }),
    });
    // One provider feeds every span to both processors, so the two exports must match.
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'thread-test', 'deployment.id': 7 }),
      idGenerator: new PooledIdGenerator(),
      spanProcessors: [direct, thread],
    });
    const tracer = provider.getTracer('@countersign/test', '1.2.3');
    const remote = contextFromTraceparent(
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      ROOT_CONTEXT,
    );
    const server = tracer.startSpan(
      'POST /v1/requests',
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': 'POST', 'list.of': ['a', 'b'], flag: true },
      },
      remote,
    );
    server.setAttributes({ 'http.response.status_code': 201, ratio: 0.25 });
    const child = tracer.startSpan(
      'countersign.request.decided',
      {
        startTime: Date.now() - 5,
        links: [
          {
            context: {
              traceId: 'a'.repeat(32),
              spanId: 'b'.repeat(16),
              traceFlags: 1 as TraceFlags,
              isRemote: true,
              traceState: createTraceState('vendor=value'),
            },
            attributes: { why: 'reviewer request' },
          },
        ],
      },
      trace.setSpan(ROOT_CONTEXT, server),
    );
    child.recordException(new Error('store down'));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'store_unavailable' });
    child.end();
    server.end();
    // Recorded but not sampled: neither processor exports it.
    new TracerProvider({
      sampler: { shouldSample: () => ({ decision: SamplingDecision.RECORD }) },
      spanProcessors: [direct, thread],
    })
      .getTracer('unsampled')
      .startSpan('recorded only')
      .end();
    await provider.forceFlush();

    const fromThread = exported('/thread/v1/traces');
    const fromSdk = exported('/direct/v1/traces');
    expect(fromThread.spans.map((span) => span.name)).toEqual(
      fromSdk.spans.map((span) => span.name),
    );
    expect(fromThread.spans).toHaveLength(2);
    expect(fromThread).toEqual(fromSdk);

    await provider.shutdown();
    // Ended after shutdown: dropped, as the SDK's own processors do.
    const late = tracer.startSpan('late');
    late.end();
    thread.onEnd(late as never);
    await thread.forceFlush();
  });

  it('fails to start, instead of dropping spans quietly, when the thread cannot run', async () => {
    const thread = new ThreadSpanProcessor({ url: 'not a url' });
    // A URL the exporter cannot parse makes the thread's start throw.
    await expect(thread.ready).rejects.toThrow();
    await thread.shutdown();
  });
});

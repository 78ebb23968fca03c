import {
  type Attributes,
  context,
  createTraceState,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { suppressTracing } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  type ScriptedServer,
  sendJson,
  startScriptedServer,
} from '../test-support/scripted-http-server.js';
import { EncodingTracerProvider } from './encoding-tracer.js';
import { resourceText } from './otlp-json.js';
import type { SpanLimits } from './recording-span.js';
import { ThreadSpanSink } from './thread-span-sink.js';
import { contextFromTraceparent } from './traceparent.js';

interface OtlpBody {
  resourceSpans: {
    resource: unknown;
    scopeSpans: { scope: unknown; spans: { spanId: string }[] }[];
  }[];
}

let collector: ScriptedServer;
beforeAll(async () => {
  collector = await startScriptedServer((_request, response) => sendJson(response, 200, {}));
});
afterAll(() => collector.close());

/** Every export sent to `path`: resources and scopes as sent, spans merged and sorted by id. */
function exported(path: string) {
  const bodies = collector.requests
    .filter((request) => request.url === path)
    .map((request) => JSON.parse(request.body) as OtlpBody);
  const resources = bodies.flatMap((body) => body.resourceSpans);
  const spans = resources
    .flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans))
    .sort((a, b) => a.spanId.localeCompare(b.spanId));
  const scopes = resources.flatMap((resource) => resource.scopeSpans.map((scope) => scope.scope));
  return { spans, resources: resources.map((resource) => resource.resource), scopes };
}

/** The same ids on every provider that gets one: counting up from 1. */
function countingIds() {
  let next = 0;
  const hex = (length: number) => (++next).toString(16).padStart(length, '0');
  return { generateTraceId: () => hex(32), generateSpanId: () => hex(16) };
}

const EPOCH = Date.UTC(2026, 11, 1, 9, 30);
// One error for both sides: its stack trace is part of the exception event.
const FAILURE = new Error('store down');
const RESOURCE: Attributes = { 'service.name': 'parity', 'deployment.id': 7 };

/** Everything a span can be given, at fixed times so that two implementations can be compared. */
function scenario(tracer: Tracer): void {
  const remote = contextFromTraceparent(
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ROOT_CONTEXT,
  );
  const server = tracer.startSpan(
    'POST /v1/requests',
    {
      kind: SpanKind.SERVER,
      startTime: EPOCH,
      attributes: {
        'http.request.method': 'POST',
        'list.of': ['a', 'b'],
        flag: true,
        gone: undefined,
      },
    },
    remote,
  );
  server.setAttributes({ 'http.response.status_code': 201, ratio: 0.25, nothing: undefined });
  server.setAttribute('', 'an empty key is refused');
  server.setAttribute('nested', { deep: [1, 'two', { three: true }] } as never);
  server.setAttribute('bytes', new Uint8Array([1, 2, 250]) as never);
  server.setAttribute('long.text', 'a value well past any small length limit');
  server.setAttribute('http.request.method', 'PUT');
  server.addEvent(
    'checked',
    { 'check.result': 'ok', ignored: { no: 'objects' } as never },
    EPOCH + 1,
  );
  server.addEvent('timed only', [Math.floor(EPOCH / 1000), 5_000_000]);
  server.updateName('POST /v1/requests/{id}');
  const child = tracer.startSpan(
    'countersign.request.decided',
    {
      startTime: [Math.floor(EPOCH / 1000), 123_456_789],
      links: [
        {
          context: {
            traceId: 'a'.repeat(32),
            spanId: 'b'.repeat(16),
            traceFlags: 1 as TraceFlags,
            isRemote: true,
            traceState: createTraceState('vendor=value'),
          },
          attributes: { why: 'reviewer request', extra: 3 },
        },
        { context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 0 } },
      ],
    },
    trace.setSpan(ROOT_CONTEXT, server),
  );
  child.addLink({ context: { traceId: 'e'.repeat(32), spanId: 'f'.repeat(16), traceFlags: 1 } });
  child.recordException(FAILURE, EPOCH + 2);
  child.recordException('plain text', EPOCH + 3);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'store_unavailable' });
  child.end(EPOCH + 4);
  const ok = tracer.startSpan('settled', { startTime: EPOCH + 5 }, ROOT_CONTEXT);
  ok.setStatus({ code: SpanStatusCode.OK, message: 'dropped: only errors keep a message' });
  ok.setStatus({ code: SpanStatusCode.ERROR, message: 'ignored: OK is final' });
  ok.end(EPOCH + 6);
  server.end(EPOCH + 7);
  // After the end: changes nothing, on either side.
  server.setAttribute('late', 1);
  // An unsampled parent gives a span that carries the context and records nothing.
  const unsampled = contextFromTraceparent(
    '00-11111111111111111111111111111111-2222222222222222-00',
    ROOT_CONTEXT,
  );
  const dropped = tracer.startSpan('not sampled', {}, unsampled);
  expect(dropped.isRecording()).toBe(false);
  expect(dropped.spanContext().traceId).toBe('11111111111111111111111111111111');
  dropped.end();
  const suppressed = tracer.startSpan('suppressed', {}, suppressTracing(ROOT_CONTEXT));
  expect(suppressed.isRecording()).toBe(false);
  suppressed.end();
}

async function exportBoth(name: string, spanLimits?: Partial<SpanLimits>) {
  const sdk = new TracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    idGenerator: countingIds(),
    ...(spanLimits ? { spanLimits } : {}),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${collector.url}/${name}/sdk/v1/traces` }),
      }),
    ],
  });
  const sink = new ThreadSpanSink({
    url: `${collector.url}/${name}/ours/v1/traces`,
    resource: resourceText(RESOURCE),
  });
  await sink.ready;
  const ours = new EncodingTracerProvider({
    sink,
    idGenerator: countingIds(),
    spanLimits,
  });
  for (const provider of [sdk, ours]) {
    scenario(provider.getTracer('@countersign/test', '1.2.3'));
    scenario(provider.getTracer('another-scope'));
    await provider.shutdown();
  }
  return { sdk: exported(`/${name}/sdk/v1/traces`), ours: exported(`/${name}/ours/v1/traces`) };
}

describe('EncodingTracerProvider with its export thread', () => {
  it('exports exactly what the SDK exports for the same spans', async () => {
    const { sdk, ours } = await exportBoth('defaults');
    expect(sdk.spans).toHaveLength(6);
    expect(ours).toEqual(sdk);
  });

  it('applies span limits as the SDK does', async () => {
    const { sdk, ours } = await exportBoth('limits', {
      attributeCountLimit: 3,
      attributeValueLengthLimit: 6,
      eventCountLimit: 1,
      linkCountLimit: 1,
      attributePerEventCountLimit: 1,
      attributePerLinkCountLimit: 1,
    });
    expect(JSON.stringify(sdk.spans)).toContain('"droppedAttributesCount":');
    expect(ours).toEqual(sdk);
  });

  it('runs startActiveSpan in the span it starts', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    onTestFinished(() => context.disable());
    const spans: unknown[] = [];
    const provider = new EncodingTracerProvider({
      sink: {
        scopeKey: () => 'active',
        add: (span) => spans.push(span),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
      idGenerator: countingIds(),
    });
    const tracer = provider.getTracer('active');
    const inner = tracer.startActiveSpan('outer', (span) => {
      expect(trace.getSpan(context.active())).toBe(span);
      span.end();
      return 'returned';
    });
    expect(inner).toBe('returned');
    tracer.startActiveSpan('with options', { kind: SpanKind.CLIENT }, ROOT_CONTEXT, (span) => {
      expect(trace.getSpan(context.active())).toBe(span);
      expect(span.isRecording()).toBe(true);
      span.end();
    });
    expect(spans).toHaveLength(2);
  });
});

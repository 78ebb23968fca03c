// The export thread of ThreadSpanProcessor: rebuilds the spans it is sent and gives them to the
// SDK's own BatchSpanProcessor and OTLP/HTTP exporter, so batching, queue limits, the JSON
// encoding and the HTTP requests all happen here instead of on the thread serving requests.
// It imports only packages (and types), so Node runs it from `src` (type stripping) or `dist`.
import { parentPort, workerData } from 'node:worker_threads';
import {
  type Attributes,
  createTraceState,
  DiagLogLevel,
  diag,
  type HrTime,
  type Link,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type ReadableSpan, type TimedEvent } from '@opentelemetry/sdk-trace';
import type {
  ExportThreadOptions,
  FromThread,
  ToThread,
  WireContext,
  WireSpan,
} from './span-wire.js';

const port = parentPort as NonNullable<typeof parentPort>;
const options = workerData as ExportThreadOptions;
const send = (message: FromThread) => port.postMessage(message);

// The exporter reports failures through `diag`: repeat them on the main thread's.
const forward =
  (log: 'error' | 'warn') =>
  (...args: unknown[]) =>
    send({ log, message: args.map(String).join(' ') });
const quiet = () => {};
diag.setLogger(
  { error: forward('error'), warn: forward('warn'), info: quiet, debug: quiet, verbose: quiet },
  DiagLogLevel.WARN,
);

const processor = new BatchSpanProcessor({
  exporter: new OTLPTraceExporter({ url: options.url }),
  ...(options.scheduledDelayMillis === undefined
    ? {}
    : { scheduledDelayMillis: options.scheduledDelayMillis }),
});

type Scope = ReadableSpan['instrumentationScope'];
const resources = new Map<number, Resource>();
const scopes = new Map<number, Scope>();

function contextOf(wire: WireContext): SpanContext {
  const [traceId, spanId, traceFlags, isRemote, traceState] = wire;
  const context: SpanContext = { traceId, spanId, traceFlags };
  if (isRemote !== null) context.isRemote = isRemote;
  if (traceState !== null) context.traceState = createTraceState(traceState);
  return context;
}

/** The parent's context as far as OTLP reads it: its span id and whether it was remote. */
function parentOf(own: SpanContext, spanId: string, isRemote: boolean | null): SpanContext {
  const context: SpanContext = { traceId: own.traceId, spanId, traceFlags: own.traceFlags };
  if (isRemote !== null) context.isRemote = isRemote;
  return context;
}

function durationOf(start: HrTime, end: HrTime): HrTime {
  const nanos = end[1] - start[1];
  return nanos < 0 ? [end[0] - start[0] - 1, nanos + 1e9] : [end[0] - start[0], nanos];
}

/** A finished span rebuilt from its wire form: what the processor and exporter read. */
class ThreadSpan implements ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  readonly resource: Resource;
  readonly instrumentationScope: Scope;
  readonly ended = true;
  readonly #context: SpanContext;

  constructor(wire: WireSpan) {
    this.name = wire[0];
    this.kind = wire[1];
    this.#context = contextOf(wire[2]);
    const parent = wire[3];
    this.parentSpanContext =
      parent === null ? undefined : parentOf(this.#context, parent[0], parent[1]);
    this.startTime = wire[4];
    this.endTime = wire[5];
    this.duration = durationOf(wire[4], wire[5]);
    this.status = wire[6];
    this.attributes = wire[7];
    this.links = wire[8].map(([context, attributes, droppedAttributesCount]) => {
      const link: Link = { context: contextOf(context) };
      if (attributes !== null) link.attributes = attributes;
      if (droppedAttributesCount !== null) link.droppedAttributesCount = droppedAttributesCount;
      return link;
    });
    this.events = wire[9];
    this.droppedAttributesCount = wire[10];
    this.droppedEventsCount = wire[11];
    this.droppedLinksCount = wire[12];
    this.resource = resources.get(wire[13]) as Resource;
    this.instrumentationScope = scopes.get(wire[14]) as Scope;
  }

  spanContext(): SpanContext {
    return this.#context;
  }
}

async function answer(id: number, work: Promise<void>): Promise<void> {
  try {
    await work;
    send({ answer: id });
  } catch (error) {
    send({ answer: id, error: error instanceof Error ? error.message : String(error) });
  }
}

port.on('message', (message: ToThread) => {
  for (const [id, attributes, schemaUrl] of message.resources ?? []) {
    resources.set(id, resourceFromAttributes(attributes, schemaUrl ? { schemaUrl } : {}));
  }
  for (const [id, name, version, schemaUrl] of message.scopes ?? []) {
    scopes.set(id, {
      name,
      ...(version === undefined ? {} : { version }),
      ...(schemaUrl === undefined ? {} : { schemaUrl }),
    });
  }
  if (message.spans !== undefined) {
    for (const wire of JSON.parse(message.spans) as WireSpan[]) {
      processor.onEnd(new ThreadSpan(wire));
    }
  }
  const call = message.call;
  if (call !== undefined) {
    answer(call.id, call.op === 'flush' ? processor.forceFlush() : processor.shutdown());
  }
});
send({ ready: true });

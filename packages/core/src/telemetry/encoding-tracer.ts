import {
  type Context,
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { cleanAttributes } from '@opentelemetry/core';
import type { Scope } from './otlp-json.js';
import {
  cleanLinkAttributes,
  RecordingSpan,
  type SpanLimits,
  type SpanSink,
} from './recording-span.js';

/** Where the provider's spans go (a `ThreadSpanSink`). */
export interface TracerSink extends SpanSink {
  /** The key spans of `scope` carry. */
  scopeKey(scope: Scope): string;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** What {@link EncodingTracerProvider} needs. */
export interface EncodingTracerProviderOptions {
  /** Where ended spans go. */
  sink: TracerSink;
  /** Trace and span ids (the SDK's `IdGenerator` shape). */
  idGenerator: { generateTraceId(): string; generateSpanId(): string };
  /** Overrides of the SDK's default span limits. */
  spanLimits?: Partial<SpanLimits> | undefined;
}

// The key `suppressTracing()` of @opentelemetry/core sets: exporters' own requests make no spans.
const SUPPRESS_TRACING = Symbol.for('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/**
 * A tracer whose sampled spans hand themselves to a {@link TracerSink} when they end. It samples
 * as the SDK's default does (parent-based, always on for a root): a sampled or absent parent gives
 * a recording span; an unsampled parent a non-recording one that still carries the context.
 */
class EncodingTracer implements Tracer {
  readonly #provider: EncodingTracerProviderOptions;
  readonly #limits: SpanLimits;
  readonly #scopeKey: string;

  constructor(provider: EncodingTracerProviderOptions, limits: SpanLimits, scopeKey: string) {
    this.#provider = provider;
    this.#limits = limits;
    this.#scopeKey = scopeKey;
  }

  startSpan(name: string, options: SpanOptions = {}, context = contextApi.active()): Span {
    if (options.root) context = trace.deleteSpan(context);
    if (context.getValue(SUPPRESS_TRACING) === true) {
      return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    }
    const parentContext = trace.getSpanContext(context);
    const ids = this.#provider.idGenerator;
    const spanId = ids.generateSpanId();
    const parent =
      parentContext !== undefined && isSpanContextValid(parentContext) ? parentContext : undefined;
    const traceId = parent?.traceId ?? ids.generateTraceId();
    const sampled = parent === undefined || (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      traceState: parent?.traceState,
    };
    if (!sampled) return trace.wrapSpanContext(spanContext);
    const limits = this.#limits;
    let links = (options.links ?? []).map((link) => ({
      context: link.context,
      ...cleanLinkAttributes(link, limits),
    }));
    let droppedLinksCount = 0;
    if (links.length > limits.linkCountLimit) {
      droppedLinksCount = links.length - limits.linkCountLimit;
      links = links.slice(droppedLinksCount);
    }
    const cleaned =
      options.attributes === undefined ? undefined : cleanAttributes(options.attributes, limits);
    return new RecordingSpan({
      name,
      kind: options.kind ?? SpanKind.INTERNAL,
      context: spanContext,
      parent,
      attributes: cleaned?.attributes ?? {},
      droppedAttributesCount: cleaned?.droppedAttributesCount ?? 0,
      links,
      droppedLinksCount,
      startTime: options.startTime,
      limits,
      sink: this.#provider.sink,
      scopeKey: this.#scopeKey,
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    context: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
    const parent = rest.length > 2 ? (rest[1] as Context) : contextApi.active();
    const span = this.startSpan(name, options, parent);
    return contextApi.with(trace.setSpan(parent, span), () => fn(span) as ReturnType<F>);
  }
}

/**
 * The tracer provider `startTracing` registers: the OpenTelemetry API's interface, implemented
 * for one exporter (OTLP/HTTP JSON from the export thread) rather than the SDK's span and span
 * processor pipeline, which costs the thread serving requests more for the same export.
 */
export class EncodingTracerProvider implements TracerProvider {
  readonly #options: EncodingTracerProviderOptions;
  readonly #limits: SpanLimits;
  readonly #tracers = new Map<string, EncodingTracer>();

  constructor(options: EncodingTracerProviderOptions) {
    this.#options = options;
    this.#limits = {
      attributeCountLimit: 128,
      attributeValueLengthLimit: Number.POSITIVE_INFINITY,
      eventCountLimit: 128,
      linkCountLimit: 128,
      attributePerEventCountLimit: 128,
      attributePerLinkCountLimit: 128,
      ...options.spanLimits,
    };
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const scopeKey = this.#options.sink.scopeKey({
      name,
      version,
      schemaUrl: options?.schemaUrl,
    });
    let tracer = this.#tracers.get(scopeKey);
    if (tracer === undefined) {
      tracer = new EncodingTracer(this.#options, this.#limits, scopeKey);
      this.#tracers.set(scopeKey, tracer);
    }
    return tracer;
  }

  /** Exports the spans ended so far. */
  forceFlush(): Promise<void> {
    return this.#options.sink.forceFlush();
  }

  /** Exports the spans ended so far and stops exporting. */
  shutdown(): Promise<void> {
    return this.#options.sink.shutdown();
  }
}

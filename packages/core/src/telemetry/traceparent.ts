import {
  type Context,
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

/** The W3C `traceparent` header (version 00): trace id, parent span id, flags. */
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * The W3C `traceparent` of the span active in `from` (default: the current context), or
 * undefined when there is none. It works with the no-op API alone: an application that runs an
 * OpenTelemetry SDK (or a framework that opens spans, like the AI SDK's `experimental_telemetry`)
 * gets its trace carried into Countersign; one that does not sends nothing.
 */
export function traceparentOf(from: Context = context.active()): string | undefined {
  const span = trace.getSpanContext(from);
  if (!span || !isSpanContextValid(span)) return undefined;
  const sampled = (span.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
  return `00-${span.traceId}-${span.spanId}-${sampled ? '01' : '00'}`;
}

/**
 * The remote span context a well-formed `traceparent` names, else undefined. One test and
 * fixed-offset slices: every request with the header comes through here, some more than once.
 */
function parseTraceparent(value: unknown): SpanContext | undefined {
  if (typeof value !== 'string' || !TRACEPARENT.test(value)) return undefined;
  const traceId = value.slice(3, 35);
  const spanId = value.slice(36, 52);
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  const flags = Number.parseInt(value.slice(53), 16);
  return { traceId, spanId, traceFlags: flags & TraceFlags.SAMPLED, isRemote: true };
}

/** True for a well-formed W3C `traceparent` value (lower-case hex, non-zero ids). */
export function isTraceparent(value: unknown): value is string {
  return parseTraceparent(value) !== undefined;
}

/**
 * A context whose parent is the remote span a `traceparent` names, so spans started in it join
 * that trace; undefined for a missing or malformed value (a bad header never fails a call).
 */
export function contextFromTraceparent(
  value: unknown,
  base: Context = ROOT_CONTEXT,
): Context | undefined {
  const parent = parseTraceparent(value);
  return parent === undefined ? undefined : trace.setSpanContext(base, parent);
}

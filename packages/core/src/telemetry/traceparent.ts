import {
  type Context,
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

/** The W3C `traceparent` header (version 00): trace id, parent span id, flags. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

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

/** True for a well-formed W3C `traceparent` value (lower-case hex, non-zero ids). */
export function isTraceparent(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TRACEPARENT.exec(value);
  return match !== null && !/^0+$/.test(match[1] as string) && !/^0+$/.test(match[2] as string);
}

/**
 * A context whose parent is the remote span a `traceparent` names, so spans started in it join
 * that trace; undefined for a missing or malformed value (a bad header never fails a call).
 */
export function contextFromTraceparent(
  value: unknown,
  base: Context = ROOT_CONTEXT,
): Context | undefined {
  if (!isTraceparent(value)) return undefined;
  const [, traceId, spanId, flags] = TRACEPARENT.exec(value) as RegExpExecArray;
  return trace.setSpanContext(base, {
    traceId: traceId as string,
    spanId: spanId as string,
    traceFlags: Number.parseInt(flags as string, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  });
}

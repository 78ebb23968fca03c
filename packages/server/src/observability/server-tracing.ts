import { contextFromTraceparent, isTraceparent, traceparentOf } from '@countersign/core/telemetry';
import {
  type Attributes,
  type Context,
  context,
  type Link,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/**
 * The server's tracer. It is the no-op API until an OpenTelemetry SDK is registered (by
 * `countersign serve` when the `OTEL_*` variables ask for it, or by the embedding application).
 */
export const serverTracer = trace.getTracer('@countersign/server');

/** Where a span should hang: under a stored or received `traceparent`, else under the active span. */
export function parentContext(traceparent: string | undefined): Context {
  const active = context.active();
  if (trace.getSpan(active) !== undefined) return active;
  return contextFromTraceparent(traceparent, active) ?? active;
}

/**
 * The parent for a span about a request: its stored `traceparent` (else the active span), with a
 * link to the active span when that belongs to another trace (the reviewer's HTTP request, the
 * scheduler's run), so both stories stay reachable.
 */
function requestParent(traceparent: string | undefined): { parent: Context; links: Link[] } {
  const active = context.active();
  const activeSpan = trace.getSpanContext(active);
  const stored =
    traceparent === undefined ? undefined : contextFromTraceparent(traceparent, active);
  const links: Link[] = [];
  if (stored && activeSpan && trace.getSpanContext(stored)?.traceId !== activeSpan.traceId) {
    links.push({ context: activeSpan });
  }
  return { parent: stored ?? active, links };
}

/**
 * Starts a span and then sets its attributes: the SDK checks attributes given at the start twice
 * (about 0.2 µs each), set afterwards once. The built-in samplers do not read attributes; a span
 * that does not record (no SDK) builds none.
 */
function startSpan(
  name: string,
  options: SpanOptions,
  parent: Context,
  attributes: (() => Attributes) | undefined,
): Span {
  const span = serverTracer.startSpan(name, options, parent);
  if (attributes !== undefined && span.isRecording()) span.setAttributes(attributes());
  return span;
}

/** What {@link inSpan} starts. */
export interface SpanPlan {
  /** A `traceparent` to parent the span under (a request's own); default: the active span. */
  parent?: string | undefined;
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `work` in a new active span. With a `parent` traceparent (the request's, stored at create)
 * the span joins the agent's trace and links to the span that was active (the reviewer's HTTP
 * request, the scheduler's run), so both stories stay reachable. Errors are recorded and rethrown.
 */
export function inSpan<T>(
  name: string,
  plan: SpanPlan,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const { parent, links } = requestParent(plan.parent);
  const { attributes } = plan;
  const span = startSpan(
    name,
    { kind: plan.kind ?? SpanKind.INTERNAL, links },
    parent,
    attributes && (() => attributes),
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The `traceparent` to store on a new request or send with a webhook: the span active in `from`
 * (default: the current context; a server span when an SDK runs), else the one the client sent.
 */
export function currentTraceparent(
  received?: string,
  from: Context = context.active(),
): string | undefined {
  return traceparentOf(from) ?? (isTraceparent(received) ? received : undefined);
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return String(error.code);
  return error instanceof Error ? error.name : 'error';
}

export { SpanKind };

/** The wall-clock time of now in milliseconds, as span start times take it. */
export function spanClock(): number {
  return performance.timeOrigin + performance.now();
}

/** What {@link traceChange} records about one committed change. */
export interface TracedChange {
  request: { id: string; kind: string; status: string; traceparent?: string | undefined };
  type: string;
  channel?: string | undefined;
  outcome?: string | undefined;
}

/**
 * Records a committed change (create, decision, expiry, cancel, ...) as a span
 * `countersign.request.<type>` from `startedAt` to now, in the request's own trace (its stored
 * `traceparent`), linked to the span that caused it when that belongs to another trace.
 */
export function traceChange(change: TracedChange, startedAt: number): void {
  const { request } = change;
  const { parent, links } = requestParent(request.traceparent);
  startSpan(`countersign.request.${change.type}`, { startTime: startedAt, links }, parent, () => {
    const attributes: Attributes = {
      'countersign.request.id': request.id,
      'countersign.request.kind': request.kind,
      'countersign.request.status': request.status,
    };
    if (change.outcome !== undefined) attributes['countersign.decision.outcome'] = change.outcome;
    if (change.channel !== undefined) attributes['countersign.decision.channel'] = change.channel;
    return attributes;
  }).end();
}

// The messages between ThreadSpanProcessor and its export thread. Types only: the thread file
// imports nothing of ours at run time, so Node can start it from source or from dist alike.
// Spans cross as one JSON string per message (absent fields as null): copying a string is cheap,
// where the structured clone of the same objects costs about as much as encoding OTLP itself.
import type { Attributes, HrTime, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { TimedEvent } from '@opentelemetry/sdk-trace';

/** A span context: trace id, span id, flags, remote or not, serialized trace state. */
export type WireContext = [
  traceId: string,
  spanId: string,
  traceFlags: number,
  isRemote: boolean | null,
  traceState: string | null,
];

export type WireLink = [
  context: WireContext,
  attributes: Attributes | null,
  droppedAttributesCount: number | null,
];

/** A parent span context: what OTLP keeps of it (the trace id is the span's own). */
export type WireParent = [spanId: string, isRemote: boolean | null];

/** One finished span, as a tuple (the shortest JSON). */
export type WireSpan = [
  name: string,
  kind: SpanKind,
  context: WireContext,
  parent: WireParent | null,
  startTime: HrTime,
  endTime: HrTime,
  status: SpanStatus,
  attributes: Attributes,
  links: WireLink[],
  events: TimedEvent[],
  droppedAttributesCount: number,
  droppedEventsCount: number,
  droppedLinksCount: number,
  resource: number,
  scope: number,
];

/** A resource, sent once before the first span that names its number. */
export type WireResource = [id: number, attributes: Attributes, schemaUrl: string | undefined];

/** An instrumentation scope (a tracer's name and version), sent once like resources. */
export type WireScope = [
  id: number,
  name: string,
  version: string | undefined,
  schemaUrl: string | undefined,
];

/** What the export thread is started with. */
export interface ExportThreadOptions {
  /** The OTLP/HTTP traces URL. */
  url: string;
  /** The BatchSpanProcessor's delay between exports, in milliseconds (its default otherwise). */
  scheduledDelayMillis?: number | undefined;
}

/** To the thread: new resources and scopes, spans, and at most one call, handled in that order. */
export interface ToThread {
  resources?: WireResource[];
  scopes?: WireScope[];
  /** `WireSpan[]` as JSON. */
  spans?: string;
  call?: { id: number; op: 'flush' | 'shutdown' };
}

/** From the thread: ready (once), a call's answer, or a diagnostic to repeat on this thread's `diag`. */
export type FromThread =
  | { ready: true }
  | { answer: number; error?: string }
  | { log: 'error' | 'warn'; message: string };

// The messages between the request thread's spans and the span export thread. Types only: the
// thread file imports nothing of ours at run time but these shapes and plain functions, so Node
// can start it from source or from dist alike. Spans cross as one JSON string per message:
// copying a string is cheap, where the structured clone of the same objects costs about as much
// as encoding OTLP itself.
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { Scope } from './otlp-json.js';
import type { SpanBatcherOptions } from './span-batcher.js';

/**
 * Attributes as JSON carries them, or, when a value JSON cannot carry exactly (bytes, maps, a
 * number that is not finite), their OTLP text written on the request thread.
 */
export type WireAttributes = Attributes | string;

export type WireLink = [
  traceId: string,
  spanId: string,
  traceFlags: number,
  isRemote: boolean | null,
  traceState: string | null,
  attributes: WireAttributes | null,
  droppedAttributesCount: number | null,
];

export type WireEvent = [
  name: string,
  time: HrTime,
  attributes: WireAttributes | null,
  droppedAttributesCount: number | null,
];

/** One finished span, as a tuple (the shortest JSON). */
export type WireSpan = [
  name: string,
  kind: number,
  traceId: string,
  spanId: string,
  traceFlags: number,
  traceState: string | null,
  parentSpanId: string | null,
  parentIsRemote: boolean | null,
  startTime: HrTime,
  endTime: HrTime,
  statusCode: number,
  statusMessage: string | null,
  attributes: WireAttributes,
  droppedAttributesCount: number,
  events: WireEvent[],
  droppedEventsCount: number,
  links: WireLink[],
  droppedLinksCount: number,
  scopeKey: string,
];

/** What the export thread is started with: its batcher's options. */
export type ExportThreadOptions = SpanBatcherOptions;

/** To the thread: new scopes, spans, and at most one call, handled in that order. */
export interface ToThread {
  scopes?: Scope[];
  /** `WireSpan[]` as JSON. */
  spans?: string;
  call?: { id: number; op: 'flush' | 'shutdown' };
}

/** From the thread: ready (once), a call's answer, or a diagnostic to repeat on this thread's `diag`. */
export type FromThread =
  | { ready: true }
  | { answer: number; error?: string }
  | { log: 'error' | 'warn'; message: string };

import {
  type Attributes,
  type AttributeValue,
  diag,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
} from '@opentelemetry/api';
import {
  AddAttributeDecision,
  addHrTimes,
  cleanAttributes,
  cleanSimpleAttributes,
  hrTime,
  isTimeInput,
  isTimeInputHrTime,
  maybeAddAttribute,
  millisToHrTime,
} from '@opentelemetry/core';
import { attributesText } from './otlp-json.js';
import type { WireAttributes, WireSpan } from './span-wire.js';

/** A span event as the span keeps it. */
interface SpanEvent {
  name: string;
  time: HrTime;
  attributes?: Attributes | undefined;
  droppedAttributesCount?: number | undefined;
}

/** The SDK's span limits, with its defaults (128 of each, values of any length). */
export interface SpanLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

/** Where an ended span goes, as a tuple (its `scopeKey` names its tracer's scope). */
export interface SpanSink {
  add(span: WireSpan): void;
}

/** What a tracer hands a new span. */
export interface RecordingSpanInit {
  name: string;
  kind: number;
  context: SpanContext;
  parent: SpanContext | undefined;
  attributes: Attributes;
  droppedAttributesCount: number;
  links: Link[];
  droppedLinksCount: number;
  startTime: TimeInput | undefined;
  limits: SpanLimits;
  sink: SpanSink;
  scopeKey: string;
}

/**
 * A sampled span that writes itself as OTLP/JSON when it ends. It keeps the SDK span's behaviour
 * (attribute validation and limits, status precedence, event and link limits, exception events,
 * times anchored to the wall clock at the start and measured monotonically after) but builds
 * nothing for a span processor: plain primitive attributes skip the SDK's deep value check, and
 * the span is text as soon as it ends, so its objects die young.
 */
export class RecordingSpan implements Span {
  name: string;
  readonly kind: number;
  readonly context: SpanContext;
  readonly parent: SpanContext | undefined;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: SpanEvent[] = [];
  readonly startTime: HrTime;
  endTime: HrTime = [0, 0];
  status: { code: number; message?: string } = { code: SpanStatusCode.UNSET };
  droppedAttributesCount: number;
  droppedEventsCount = 0;
  droppedLinksCount: number;
  readonly #limits: SpanLimits;
  readonly #sink: SpanSink;
  readonly #scopeKey: string;
  readonly #performanceStart = performance.now();
  readonly #offset: number;
  readonly #startTimeGiven: boolean;
  #attributeCount: number;
  #ended = false;

  constructor(init: RecordingSpanInit) {
    const now = Date.now();
    this.#offset = now - (this.#performanceStart + performance.timeOrigin);
    this.#startTimeGiven = init.startTime !== undefined;
    this.name = init.name;
    this.kind = init.kind;
    this.context = init.context;
    this.parent = init.parent;
    this.attributes = init.attributes;
    this.#attributeCount = Object.keys(init.attributes).length;
    this.droppedAttributesCount = init.droppedAttributesCount;
    this.links = init.links;
    this.droppedLinksCount = init.droppedLinksCount;
    this.#limits = init.limits;
    this.#sink = init.sink;
    this.#scopeKey = init.scopeKey;
    this.startTime = this.#time(init.startTime ?? now);
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (this.#endedWarning()) return this;
    const type = typeof value;
    const plain =
      type === 'number' ||
      type === 'boolean' ||
      (type === 'string' && this.#limits.attributeValueLengthLimit === Number.POSITIVE_INFINITY);
    if (plain && key.length > 0) {
      const isNew = !Object.hasOwn(this.attributes, key);
      if (isNew && this.#attributeCount >= this.#limits.attributeCountLimit) {
        this.#dropAttribute();
      } else {
        this.attributes[key] = value;
        if (isNew) this.#attributeCount += 1;
      }
      return this;
    }
    const decision = maybeAddAttribute({
      key,
      value,
      attributes: this.attributes,
      limits: this.#limits,
      currentAttributesCount: this.#attributeCount,
    });
    if (decision === AddAttributeDecision.DROP_LIMIT_REACHED) this.#dropAttribute();
    else if (decision === AddAttributeDecision.ADD_NEW) this.#attributeCount += 1;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) {
      if (Object.hasOwn(attributes, key)) this.setAttribute(key, attributes[key] as AttributeValue);
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.#endedWarning()) return this;
    let attributes = attributesOrTime as Attributes | undefined;
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(time)) time = attributesOrTime;
      attributes = undefined;
    }
    this.droppedEventsCount += pushWithin(this.events, this.#limits.eventCountLimit, () => ({
      name,
      time: this.#time(time),
      ...cleanSimpleAttributes(attributes, {
        attributeCountLimit: this.#limits.attributePerEventCountLimit,
        attributeValueLengthLimit: this.#limits.attributeValueLengthLimit,
      }),
    }));
    return this;
  }

  addLink(link: Link): this {
    if (this.#endedWarning()) return this;
    this.droppedLinksCount += pushWithin(this.links, this.#limits.linkCountLimit, () => ({
      context: link.context,
      ...cleanLinkAttributes(link, this.#limits),
    }));
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.#endedWarning()) return this;
    // As the SDK: unset changes nothing, and OK is final.
    if (status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    const next: { code: number; message?: string } = { code: status.code };
    if (status.code === SpanStatusCode.ERROR && typeof status.message === 'string') {
      next.message = status.message;
    }
    this.status = next;
    return this;
  }

  updateName(name: string): this {
    if (!this.#endedWarning()) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.#ended) {
      diag.error(`${this.name} ${this.context.spanId}: end() called on an ended span`);
      return;
    }
    this.#ended = true;
    let end = this.#time(endTime);
    const [startSeconds, startNanos] = this.startTime;
    if (end[0] < startSeconds || (end[0] === startSeconds && end[1] < startNanos)) {
      end = [startSeconds, startNanos];
    }
    this.endTime = end;
    const { context, parent, status } = this;
    this.#sink.add([
      this.name,
      this.kind,
      context.traceId,
      context.spanId,
      context.traceFlags,
      context.traceState?.serialize() ?? null,
      parent?.spanId ?? null,
      parent?.isRemote ?? null,
      this.startTime,
      end,
      status.code,
      status.message ?? null,
      wireAttributes(this.attributes),
      this.droppedAttributesCount,
      this.events.map((event) => [
        event.name,
        event.time,
        event.attributes === undefined ? null : wireAttributes(event.attributes),
        event.droppedAttributesCount ?? null,
      ]),
      this.droppedEventsCount,
      this.links.map(({ context: linked, attributes, droppedAttributesCount }) => [
        linked.traceId,
        linked.spanId,
        linked.traceFlags,
        linked.isRemote ?? null,
        linked.traceState?.serialize() ?? null,
        attributes === undefined ? null : wireAttributes(attributes),
        droppedAttributesCount ?? null,
      ]),
      this.droppedLinksCount,
      this.#scopeKey,
    ]);
  }

  isRecording(): boolean {
    return !this.#ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') attributes['exception.message'] = exception;
    else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) {
      this.addEvent('exception', attributes, time);
    }
  }

  #dropAttribute(): void {
    if (this.droppedAttributesCount++ === 0) diag.warn('Dropping extra attributes.');
  }

  #endedWarning(): boolean {
    if (this.#ended) diag.warn(`Cannot change the ended span ${this.context.spanId}`);
    return this.#ended;
  }

  /** The SDK's reading of a time: performance-relative, epoch milliseconds, Date or HrTime. */
  #time(input: TimeInput | undefined): HrTime {
    if (typeof input === 'number' && input <= performance.now()) {
      return hrTime(input + this.#offset);
    }
    if (typeof input === 'number') return millisToHrTime(input);
    if (input instanceof Date) return millisToHrTime(input.getTime());
    if (isTimeInputHrTime(input)) return input;
    if (this.#startTimeGiven) return millisToHrTime(Date.now());
    return addHrTimes(this.startTime, millisToHrTime(performance.now() - this.#performanceStart));
  }
}

/**
 * Appends `make()` to `list` within `limit` as the SDK does (at the limit the oldest entry goes;
 * with a limit of 0 nothing is kept) and returns how many entries were dropped (0 or 1).
 */
function pushWithin<T>(list: T[], limit: number, make: () => T): number {
  if (limit === 0) return 1;
  const full = list.length >= limit;
  if (full) list.shift();
  list.push(make());
  return full ? 1 : 0;
}

/** A value JSON carries exactly (no bytes, maps or numbers that are not finite). */
function plainValue(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value === null ||
    value === undefined ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Attributes as they cross to the export thread: as they are, or as OTLP text when JSON cannot. */
function wireAttributes(attributes: Attributes): WireAttributes {
  for (const key in attributes) {
    const value = attributes[key];
    if (plainValue(value)) continue;
    if (Array.isArray(value) && value.every(plainValue)) continue;
    return attributesText(attributes);
  }
  return attributes;
}

/** A link's attributes after the per-link limits, as the SDK keeps them. */
export function cleanLinkAttributes(link: Link, limits: SpanLimits) {
  return cleanAttributes(link.attributes, {
    attributeCountLimit: limits.attributePerLinkCountLimit,
    attributeValueLengthLimit: limits.attributeValueLengthLimit,
  });
}

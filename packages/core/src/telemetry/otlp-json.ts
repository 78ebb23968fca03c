// OTLP/JSON text for finished spans, written as strings straight from the span's fields. The SDK's
// own serializer first builds an object per span, attribute and value and then stringifies the
// lot; writing the text directly costs a fraction of that and leaves nothing for the collector to
// walk. The output is the same document the SDK's JSON exporter sends (a test compares the two).
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { WireAttributes, WireEvent, WireLink, WireSpan } from './span-wire.js';

const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

/** OTLP's span flags: the W3C trace flags plus whether the parent (or linked) context was remote. */
function flagsOf(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);
}

/** Nanoseconds since the epoch, as the decimal string OTLP/JSON writes for 64-bit integers. */
export function nanosText(time: HrTime): string {
  const seconds = Math.trunc(time[0]);
  const nanos = String(Math.trunc(time[1]));
  return seconds === 0 ? nanos : `${seconds}${nanos.padStart(9, '0')}`;
}

/** The value forms the SDK's encoder writes for what is not a plain string, number or boolean. */
function anyValue(value: unknown): object {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  }
  if (typeof value === 'boolean') return { boolValue: value };
  if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (typeof value === 'object' && value !== null) {
    const values = Object.keys(value).map((key) => ({
      key,
      value: anyValue((value as Record<string, unknown>)[key]),
    }));
    return { kvlistValue: { values } };
  }
  return {};
}

/** The text of one attribute value, appended to `parts`. */
function pushValue(parts: string[], value: AttributeValue | undefined): void {
  switch (typeof value) {
    case 'string':
      parts.push('{"stringValue":', JSON.stringify(value), '}');
      return;
    case 'number':
      if (Number.isInteger(value)) parts.push('{"intValue":', String(value), '}');
      else parts.push('{"doubleValue":', JSON.stringify(value), '}');
      return;
    case 'boolean':
      parts.push(value ? '{"boolValue":true}' : '{"boolValue":false}');
      return;
    default:
      parts.push(JSON.stringify(anyValue(value)));
  }
}

// Attribute keys repeat from span to span: their escaped opening is written once (up to a bound,
// so keys made from data cannot grow it without limit).
const keyOpenings = new Map<string, string>();
const MAX_KEY_OPENINGS = 1024;

function keyOpening(key: string): string {
  let opening = keyOpenings.get(key);
  if (opening === undefined) {
    opening = `{"key":${JSON.stringify(key)},"value":`;
    if (keyOpenings.size < MAX_KEY_OPENINGS) keyOpenings.set(key, opening);
  }
  return opening;
}

/** An attribute map as OTLP's list of `{ key, value }`, appended to `parts`. */
function pushAttributes(parts: string[], attributes: Attributes | undefined): void {
  parts.push('[');
  let first = true;
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    if (!first) parts.push(',');
    first = false;
    parts.push(keyOpening(key));
    pushValue(parts, attributes[key]);
    parts.push('}');
  }
  parts.push(']');
}

/** An attribute map as OTLP's list of `{ key, value }`. */
export function attributesText(attributes: Attributes | undefined): string {
  const parts: string[] = [];
  pushAttributes(parts, attributes);
  return parts.join('');
}

/** Attributes as they crossed: an object, or text the request thread wrote already. */
function pushWireAttributes(parts: string[], attributes: WireAttributes | null): void {
  if (typeof attributes === 'string') parts.push(attributes);
  else pushAttributes(parts, attributes ?? undefined);
}

function pushEvent(parts: string[], event: WireEvent): void {
  const [name, time, attributes, dropped] = event;
  parts.push('{"attributes":');
  pushWireAttributes(parts, attributes);
  parts.push(',"name":', JSON.stringify(name), ',"timeUnixNano":"', nanosText(time));
  parts.push('","droppedAttributesCount":', String(dropped || 0), '}');
}

function pushLink(parts: string[], link: WireLink): void {
  const [traceId, spanId, traceFlags, isRemote, traceState, attributes, dropped] = link;
  parts.push('{"attributes":');
  pushWireAttributes(parts, attributes);
  parts.push(',"spanId":', JSON.stringify(spanId), ',"traceId":', JSON.stringify(traceId));
  if (traceState !== null) parts.push(',"traceState":', JSON.stringify(traceState));
  parts.push(',"droppedAttributesCount":', String(dropped || 0));
  parts.push(',"flags":', String(flagsOf(traceFlags, isRemote ?? undefined)), '}');
}

function pushList<T>(
  parts: string[],
  items: readonly T[],
  push: (parts: string[], item: T) => void,
) {
  parts.push('[');
  items.forEach((item, index) => {
    if (index > 0) parts.push(',');
    push(parts, item);
  });
  parts.push(']');
}

/**
 * One span as OTLP/JSON. Its own ids are valid hex (generated, or a valid parent's), so they are
 * written as they are; everything a caller chose (names, attributes, link ids) is escaped. The
 * pieces are joined once into a flat string: built by `+`, the text would be a deep rope that
 * costs as much again to flatten when the batch is joined.
 */
export function spanText(span: WireSpan): string {
  const [name, kind, traceId, spanId, traceFlags, traceState, parentSpanId, parentIsRemote] = span;
  const parts = ['{"traceId":"', traceId, '","spanId":"', spanId, '"'];
  if (parentSpanId !== null) parts.push(',"parentSpanId":"', parentSpanId, '"');
  if (traceState !== null) parts.push(',"traceState":', JSON.stringify(traceState));
  parts.push(',"name":', JSON.stringify(name), ',"kind":', String(kind + 1));
  parts.push(',"startTimeUnixNano":"', nanosText(span[8]), '","endTimeUnixNano":"');
  parts.push(nanosText(span[9]), '","attributes":');
  pushWireAttributes(parts, span[12]);
  parts.push(',"droppedAttributesCount":', String(span[13]), ',"events":');
  pushList(parts, span[14], pushEvent);
  parts.push(',"droppedEventsCount":', String(span[15]), ',"status":{"code":', String(span[10]));
  if (span[11] !== null) parts.push(',"message":', JSON.stringify(span[11]));
  parts.push('},"links":');
  pushList(parts, span[16], pushLink);
  parts.push(',"droppedLinksCount":', String(span[17]), ',"flags":');
  parts.push(
    String(flagsOf(traceFlags, parentSpanId === null ? undefined : (parentIsRemote ?? undefined))),
    '}',
  );
  return parts.join('');
}

/** An instrumentation scope (a tracer's name and version). */
export interface Scope {
  name: string;
  version?: string | undefined;
  schemaUrl?: string | undefined;
}

/** The key spans name their scope by (as the SDK groups them: name, version, schema URL). */
export function scopeKeyOf(scope: Scope): string {
  return `${scope.name}@${scope.version ?? ''}:${scope.schemaUrl ?? ''}`;
}

/** The opening of a scope's `scopeSpans` entry, up to where its spans go. */
export function scopeText(scope: Scope): string {
  const version = scope.version === undefined ? '' : `,"version":${JSON.stringify(scope.version)}`;
  return `{"scope":{"name":${JSON.stringify(scope.name)}${version}}`;
}

/** The opening of the one `resourceSpans` entry, up to where its scopes go. */
export function resourceText(attributes: Attributes): string {
  return `{"resource":{"attributes":${attributesText(attributes)},"droppedAttributesCount":0}`;
}

/** A batch of spans grouped by scope: the export request's body. */
export function exportRequestText(
  resource: string,
  scopes: Iterable<{ opening: string; schemaUrl: string | undefined; spans: string[] }>,
): string {
  const entries: string[] = [];
  for (const { opening, schemaUrl, spans } of scopes) {
    if (spans.length === 0) continue;
    const url = schemaUrl ? `,"schemaUrl":${JSON.stringify(schemaUrl)}` : '';
    entries.push(`${opening},"spans":[${spans.join(',')}]${url}}`);
  }
  return `{"resourceSpans":[${resource},"scopeSpans":[${entries.join(',')}]}]}`;
}

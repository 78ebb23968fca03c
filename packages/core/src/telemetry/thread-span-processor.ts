import { Worker } from 'node:worker_threads';
import { diag, type SpanContext, TraceFlags } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type {
  ExportThreadOptions,
  FromThread,
  ToThread,
  WireContext,
  WireResource,
  WireScope,
  WireSpan,
} from './span-wire.js';

// From source (tests) the thread runs as TypeScript, which Node strips; from dist as JavaScript.
const THREAD = new URL(
  import.meta.url.endsWith('.ts') ? './span-export-thread.ts' : './span-export-thread.js',
  import.meta.url,
);
/**
 * Spans go to the thread this often, or at 256 pending: each message costs both threads a fixed
 * part (a timer, a post, a wake-up), which at a few hundred spans a second weighs more than the
 * spans. Still well under a young-generation collection's interval, so the spans die young.
 */
const SEND_EVERY_MS = 100;
const MAX_MESSAGE_SPANS = 256;

function wireContext(context: SpanContext): WireContext {
  return [
    context.traceId,
    context.spanId,
    context.traceFlags,
    context.isRemote ?? null,
    context.traceState?.serialize() ?? null,
  ];
}

/**
 * A span processor that hands each finished, sampled span to a worker thread, where the SDK's
 * own BatchSpanProcessor and OTLP/HTTP exporter batch, encode and send it (with the same
 * defaults: batches of 512, a queue of 2,048, an export every 5 s). The thread serving requests
 * only writes the span's fields as a JSON tuple, every 100 ms for all the spans that ended
 * meanwhile (a third of the cost of OTLP's encoding), so no request waits for a batch of 512 to be
 * encoded and the spans die young. `forceFlush` and
 * `shutdown` resolve once the thread has exported everything sent before them.
 */
export class ThreadSpanProcessor implements SpanProcessor {
  readonly #worker: Worker;
  #spans: WireSpan[] = [];
  #resources: WireResource[] = [];
  #scopes: WireScope[] = [];
  readonly #resourceIds = new Map<Resource, number>();
  readonly #scopeIds = new Map<ReadableSpan['instrumentationScope'], number>();
  readonly #calls = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #lastCall = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /**
   * Resolves once the thread has loaded the exporter; rejects when it cannot (a missing package),
   * so a start that asked for traces fails instead of dropping them all quietly.
   */
  readonly ready: Promise<void>;

  constructor(options: ExportThreadOptions) {
    this.#worker = new Worker(THREAD, { workerData: options });
    // Exporting never keeps a process alive, except while the start, a flush or a shutdown waits.
    this.ready = new Promise((resolve, reject) => {
      this.#worker.once('message', () => {
        if (this.#calls.size === 0) this.#worker.unref();
        resolve();
      });
      this.#worker.once('error', reject);
    });
    this.#worker.on('message', (message: FromThread) => this.#receive(message));
    this.#worker.on('error', (error) => this.#stop(error));
    this.#worker.on('exit', () => this.#stop(new Error('the span export thread exited')));
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const context = span.spanContext();
    if (this.#closed || (context.traceFlags & TraceFlags.SAMPLED) === 0) return;
    const parent = span.parentSpanContext;
    this.#spans.push([
      span.name,
      span.kind,
      wireContext(context),
      parent === undefined ? null : [parent.spanId, parent.isRemote ?? null],
      span.startTime,
      span.endTime,
      span.status,
      span.attributes,
      span.links.map((link) => [
        wireContext(link.context),
        link.attributes ?? null,
        link.droppedAttributesCount ?? null,
      ]),
      span.events,
      span.droppedAttributesCount,
      span.droppedEventsCount,
      span.droppedLinksCount,
      this.#resourceId(span.resource),
      this.#scopeId(span.instrumentationScope),
    ]);
    if (this.#spans.length >= MAX_MESSAGE_SPANS) this.#send();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#send(), SEND_EVERY_MS);
      this.#timer.unref();
    }
  }

  forceFlush(): Promise<void> {
    return this.#call('flush');
  }

  async shutdown(): Promise<void> {
    await this.#call('shutdown');
    this.#closed = true;
    await this.#worker.terminate();
  }

  #resourceId(resource: Resource): number {
    let id = this.#resourceIds.get(resource);
    if (id === undefined) {
      id = this.#resourceIds.size;
      this.#resourceIds.set(resource, id);
      this.#resources.push([id, resource.attributes, resource.schemaUrl]);
    }
    return id;
  }

  #scopeId(scope: ReadableSpan['instrumentationScope']): number {
    let id = this.#scopeIds.get(scope);
    if (id === undefined) {
      id = this.#scopeIds.size;
      this.#scopeIds.set(scope, id);
      this.#scopes.push([id, scope.name, scope.version, scope.schemaUrl]);
    }
    return id;
  }

  #send(call?: ToThread['call']): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#spans.length === 0 && call === undefined) return;
    const message: ToThread = {};
    if (this.#spans.length > 0) {
      try {
        message.spans = JSON.stringify(this.#spans);
      } catch (error) {
        // The SDK keeps attributes to plain values; should one slip through, lose the batch, never
        // the process (this runs on a timer).
        diag.error(`span export thread: ${this.#spans.length} spans dropped: ${String(error)}`);
      }
    }
    if (this.#resources.length > 0) message.resources = this.#resources;
    if (this.#scopes.length > 0) message.scopes = this.#scopes;
    if (call !== undefined) message.call = call;
    this.#spans = [];
    this.#resources = [];
    this.#scopes = [];
    this.#worker.postMessage(message);
  }

  #call(op: 'flush' | 'shutdown'): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const id = ++this.#lastCall;
    const answered = new Promise<void>((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
    });
    // A process that awaits this on its way out must not exit before the answer comes.
    this.#worker.ref();
    this.#send({ id, op });
    return answered;
  }

  #receive(message: FromThread): void {
    if ('ready' in message) return;
    if ('log' in message) {
      diag[message.log](message.message);
      return;
    }
    const call = this.#calls.get(message.answer);
    this.#calls.delete(message.answer);
    if (this.#calls.size === 0) this.#worker.unref();
    if (message.error === undefined) call?.resolve();
    else call?.reject(new Error(message.error));
  }

  /** The thread is gone: later spans are dropped and waiting calls end, as after a shutdown. */
  #stop(error: Error): void {
    if (!this.#closed) diag.error(`span export thread: ${error.message}`);
    this.#closed = true;
    for (const call of this.#calls.values()) call.resolve();
    this.#calls.clear();
  }
}

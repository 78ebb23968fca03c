import { diag } from '@opentelemetry/api';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { exportRequestText, type Scope, scopeKeyOf, scopeText } from './otlp-json.js';

/** How {@link SpanBatcher} batches, with the defaults of the SDK's BatchSpanProcessor. */
export interface SpanBatcherOptions {
  /** The OTLP/HTTP traces URL. */
  url: string;
  /** The opening of the export's resource entry (`resourceText`). */
  resource: string;
  /** Spans waiting beyond this are dropped (default 2,048). */
  maxQueueSize?: number | undefined;
  /** Spans per export request (default 512); a full batch is sent at once. */
  maxExportBatchSize?: number | undefined;
  /** The longest a span waits for its batch, in milliseconds (default 5,000). */
  scheduledDelayMillis?: number | undefined;
  /** The longest one export request may take, in milliseconds (default 30,000). */
  exportTimeoutMillis?: number | undefined;
}

/** What one export request carries: its body and how many spans are in it. */
interface Batch {
  body: string;
  count: number;
}

interface ScopeSpans {
  opening: string;
  schemaUrl: string | undefined;
  spans: string[];
}

/** The body is written already; the SDK's transport only sends it. */
const serializer = {
  serializeRequest: (batch: Batch) => Buffer.from(batch.body),
  deserializeResponse: () => ({}),
};

/**
 * Collects finished spans as OTLP/JSON text and sends them in batches through the SDK's own
 * OTLP/HTTP transport (its `OTEL_EXPORTER_OTLP_*` headers, timeout and compression, its retries
 * with backoff, its limit on concurrent requests). Batching follows the BatchSpanProcessor: a full
 * batch goes at once, the rest after the scheduled delay, and spans beyond the queue are dropped
 * with a warning rather than held without bound. Nothing here keeps a process alive.
 */
export class SpanBatcher {
  readonly #options: Required<Omit<SpanBatcherOptions, 'url' | 'resource'>>;
  readonly #resource: string;
  readonly #exporter: OTLPExporterBase<Batch>;
  readonly #scopes = new Map<string, ScopeSpans>();
  readonly #inFlight = new Set<Promise<void>>();
  #queued = 0;
  #dropped = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** Throws when the exporter cannot use `url` (so a start that asked for traces fails). */
  constructor(options: SpanBatcherOptions) {
    this.#options = {
      maxQueueSize: options.maxQueueSize ?? 2048,
      maxExportBatchSize: options.maxExportBatchSize ?? 512,
      scheduledDelayMillis: options.scheduledDelayMillis ?? 5000,
      exportTimeoutMillis: options.exportTimeoutMillis ?? 30_000,
    };
    this.#resource = options.resource;
    const http = convertLegacyHttpOptions({ url: options.url }, 'TRACES', 'v1/traces', {
      'Content-Type': 'application/json',
    });
    this.#exporter = new OTLPExporterBase(
      createOtlpHttpExportDelegate(
        http,
        serializer,
        'otlp_http_span_exporter',
        { name: 'span', countItems: (batch: Batch) => batch.count },
        undefined,
      ),
    );
  }

  /** The key {@link add} takes for spans of `scope`. */
  scopeKey(scope: Scope): string {
    const key = scopeKeyOf(scope);
    if (!this.#scopes.has(key)) {
      this.#scopes.set(key, { opening: scopeText(scope), schemaUrl: scope.schemaUrl, spans: [] });
    }
    return key;
  }

  /** Queues one span's OTLP/JSON text under a key from {@link scopeKey} (others are dropped). */
  add(scopeKey: string, span: string): void {
    const scope = this.#scopes.get(scopeKey);
    if (this.#closed || scope === undefined) return;
    if (this.#queued >= this.#options.maxQueueSize) {
      if (this.#dropped++ === 0) diag.warn('span export: the queue is full, dropping spans');
      return;
    }
    scope.spans.push(span);
    this.#queued += 1;
    if (this.#queued >= this.#options.maxExportBatchSize) this.#sendAll();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#sendAll(), this.#options.scheduledDelayMillis);
      this.#timer.unref();
    }
  }

  /** Sends everything queued and resolves once every export so far has finished. */
  async forceFlush(): Promise<void> {
    this.#sendAll();
    await Promise.all([...this.#inFlight]);
  }

  /** Flushes, then stops: later spans are dropped. */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    await this.forceFlush();
    this.#closed = true;
    await this.#exporter.shutdown();
  }

  #sendAll(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queued > 0) this.#send(this.#take(this.#options.maxExportBatchSize));
    if (this.#dropped > 0) {
      diag.warn(
        `span export: ${this.#dropped} spans dropped (queue of ${this.#options.maxQueueSize} full)`,
      );
      this.#dropped = 0;
    }
  }

  /** Up to `limit` queued spans, oldest scope entries first, as an export request. */
  #take(limit: number): Batch {
    const taken: ScopeSpans[] = [];
    let count = 0;
    for (const scope of this.#scopes.values()) {
      if (count === limit) break;
      const spans = scope.spans.splice(0, limit - count);
      count += spans.length;
      taken.push({ ...scope, spans });
    }
    this.#queued -= count;
    return { body: exportRequestText(this.#resource, taken), count };
  }

  #send(batch: Batch): void {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        diag.error(`span export: no answer within ${this.#options.exportTimeoutMillis} ms`);
        resolve();
      }, this.#options.exportTimeoutMillis);
      timer.unref();
      this.#exporter.export(batch, (result) => {
        clearTimeout(timer);
        if (result.error !== undefined || result.code !== 0) {
          diag.error(
            `span export: ${batch.count} spans failed: ${String(result.error ?? 'error')}`,
          );
        }
        resolve();
      });
    }).finally(() => this.#inFlight.delete(done));
    this.#inFlight.add(done);
  }
}

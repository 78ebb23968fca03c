import { Worker } from 'node:worker_threads';
import { diag } from '@opentelemetry/api';
import { type Scope, scopeKeyOf } from './otlp-json.js';
import type { ExportThreadOptions, FromThread, ToThread, WireSpan } from './span-wire.js';

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

/**
 * Where ended spans go on the thread that serves requests: their tuples, sent as one JSON string
 * every 100 ms to a worker thread that writes them as OTLP/JSON and exports them in batches
 * (`SpanBatcher`). This thread does the least it can: the tuple's JSON is a third of the cost of
 * the OTLP text. `forceFlush` and `shutdown` resolve once the thread has exported everything sent
 * before them.
 */
export class ThreadSpanSink {
  readonly #worker: Worker;
  #spans: WireSpan[] = [];
  #scopes: Scope[] = [];
  readonly #known = new Set<string>();
  readonly #calls = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #lastCall = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /**
   * Resolves once the thread has started its exporter; rejects when it cannot (a missing package,
   * a URL it cannot use), so a start that asked for traces fails instead of dropping them quietly.
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

  /** The key spans of `scope` carry (the scope goes to the thread with the next message). */
  scopeKey(scope: Scope): string {
    const key = scopeKeyOf(scope);
    if (!this.#known.has(key)) {
      this.#known.add(key);
      this.#scopes.push(scope);
    }
    return key;
  }

  add(span: WireSpan): void {
    if (this.#closed) return;
    this.#spans.push(span);
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
    // Referenced until it has stopped (the answer unreferenced it), so the process cannot end first.
    this.#worker.ref();
    await this.#worker.terminate();
  }

  #send(call?: ToThread['call']): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#spans.length === 0 && this.#scopes.length === 0 && call === undefined) return;
    const message: ToThread = {};
    if (this.#scopes.length > 0) message.scopes = this.#scopes;
    if (this.#spans.length > 0) {
      try {
        message.spans = JSON.stringify(this.#spans);
      } catch (error) {
        // Attributes are checked values, but should one still fail to serialize, lose the batch,
        // never the process: this runs on a timer, where a throw would end the server.
        diag.error(`span export thread: ${this.#spans.length} spans dropped: ${String(error)}`);
      }
    }
    if (call !== undefined) message.call = call;
    this.#spans = [];
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

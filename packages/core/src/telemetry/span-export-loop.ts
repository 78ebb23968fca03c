// The export thread's work: spans arrive as JSON tuples, are written as OTLP/JSON text and sent in
// batches by a SpanBatcher, so neither the encoding nor the HTTP requests run on the thread that
// serves requests. Loaded by span-export-thread.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { spanText } from './otlp-json.js';
import { SpanBatcher } from './span-batcher.js';
import type { ExportThreadOptions, FromThread, ToThread, WireSpan } from './span-wire.js';

const port = parentPort as NonNullable<typeof parentPort>;
const send = (message: FromThread) => port.postMessage(message);

// The exporter reports failures through `diag`: repeat them on the request thread's.
const forward =
  (log: 'error' | 'warn') =>
  (...args: unknown[]) =>
    send({ log, message: args.map(String).join(' ') });
const quiet = () => {};
diag.setLogger(
  { error: forward('error'), warn: forward('warn'), info: quiet, debug: quiet, verbose: quiet },
  DiagLogLevel.WARN,
);

// Throws on a URL the exporter cannot use: the thread's error rejects the start.
const batcher = new SpanBatcher(workerData as ExportThreadOptions);

async function answer(id: number, work: Promise<void>): Promise<void> {
  try {
    await work;
    send({ answer: id });
  } catch (error) {
    send({ answer: id, error: error instanceof Error ? error.message : String(error) });
  }
}

port.on('message', (message: ToThread) => {
  // Both threads key a scope by scopeKeyOf, so a span's key is the batcher's.
  for (const scope of message.scopes ?? []) batcher.scopeKey(scope);
  if (message.spans !== undefined) {
    for (const span of JSON.parse(message.spans) as WireSpan[]) {
      batcher.add(span[18], spanText(span));
    }
  }
  const call = message.call;
  if (call !== undefined) {
    answer(call.id, call.op === 'flush' ? batcher.forceFlush() : batcher.shutdown());
  }
});
send({ ready: true });

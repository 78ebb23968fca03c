import { context, trace } from '@opentelemetry/api';
import { resourceText } from './otlp-json.js';
import { PooledIdGenerator } from './random-ids.js';

/** A started tracing SDK. */
export interface TracingHandle {
  /** Exports the spans buffered so far. */
  forceFlush(): Promise<void>;
  /** Exports the spans still buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

/** The variables {@link tracingWanted} reads (default `process.env`). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * True when the standard OpenTelemetry variables ask for traces: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or
 * `OTEL_TRACES_EXPORTER=otlp`, unless `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`.
 */
export function tracingWanted(env: Environment = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter === 'none') return false;
  return (
    exporter === 'otlp' ||
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT) ||
    Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
  );
}

/** The OTLP/HTTP traces URL the variables name (the SDK's own default otherwise). */
function tracesUrl(env: Environment): string {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318';
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** A positive number from the variable `name`, else undefined. */
function positive(env: Environment, name: string): number | undefined {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Starts tracing when {@link tracingWanted}: an {@link EncodingTracerProvider} whose spans a worker
 * thread writes as OTLP/JSON and exports in batches through the SDK's OTLP/HTTP transport, with the AsyncLocalStorage context manager,
 * registered globally; `service.name` from `OTEL_SERVICE_NAME` (default `serviceName`); the batch
 * processor's `OTEL_BSP_*` variables. Returns undefined, loading nothing, otherwise.
 * `countersign serve` and the MCP proxy call it at start; an application that runs its own SDK
 * does not need it. The OpenTelemetry packages beyond the API are optional peer dependencies of
 * `@countersign/core` (the server and the proxy install them), imported only when tracing starts.
 */
export async function startTracing(
  serviceName: string,
  env: Environment = process.env,
): Promise<TracingHandle | undefined> {
  if (!tracingWanted(env)) return undefined;
  const [{ AsyncLocalStorageContextManager }, { ThreadSpanSink }, { EncodingTracerProvider }] =
    await Promise.all([
      import('@opentelemetry/context-async-hooks'),
      import('./thread-span-sink.js'),
      import('./encoding-tracer.js'),
    ]);
  const sink = new ThreadSpanSink({
    url: tracesUrl(env),
    resource: resourceText({ 'service.name': env.OTEL_SERVICE_NAME || serviceName }),
    maxQueueSize: positive(env, 'OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: positive(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    scheduledDelayMillis: positive(env, 'OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: positive(env, 'OTEL_BSP_EXPORT_TIMEOUT'),
  });
  await sink.ready;
  const provider = new EncodingTracerProvider({ sink, idGenerator: new PooledIdGenerator() });
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  trace.setGlobalTracerProvider(provider);
  return {
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

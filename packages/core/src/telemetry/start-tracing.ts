import { context, trace } from '@opentelemetry/api';
import { PooledIdGenerator } from './random-ids.js';
import { ThreadSpanProcessor } from './thread-span-processor.js';

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

/**
 * Starts the OpenTelemetry SDK when {@link tracingWanted}: a tracer provider exporting OTLP/HTTP
 * (JSON) in batches from a worker thread ({@link ThreadSpanProcessor}), with the AsyncLocalStorage
 * context manager, registered globally; `service.name` from `OTEL_SERVICE_NAME` (default
 * `serviceName`). Returns undefined, loading nothing, otherwise. `countersign serve` and the MCP
 * proxy call it at start; an application that runs its own SDK does not need it. The SDK packages
 * are optional peer dependencies of `@countersign/core` (the server and the proxy install them),
 * imported only here and in the export thread.
 */
export async function startTracing(
  serviceName: string,
  env: Environment = process.env,
): Promise<TracingHandle | undefined> {
  if (!tracingWanted(env)) return undefined;
  const delay = Number(env.OTEL_BSP_SCHEDULE_DELAY);
  // The thread loads the exporter while this one loads the rest.
  const processor = new ThreadSpanProcessor({
    url: tracesUrl(env),
    ...(Number.isFinite(delay) && delay > 0 ? { scheduledDelayMillis: delay } : {}),
  });
  const [{ TracerProvider }, { AsyncLocalStorageContextManager }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/resources'),
      processor.ready,
    ]);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || serviceName }),
    idGenerator: new PooledIdGenerator(),
    spanProcessors: [processor],
  });
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

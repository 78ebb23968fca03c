// `@countersign/core/telemetry`: the traceparent helpers (also in the root entry), the SDK start-up
// and a metrics listener, without the client, gate and policy engine the root entry loads.
export { listenForMetrics, type MetricsListener, type MetricsSource } from './metrics-listener.js';
export {
  type Environment,
  startTracing,
  type TracingHandle,
  tracingWanted,
} from './start-tracing.js';
export { contextFromTraceparent, isTraceparent, traceparentOf } from './traceparent.js';

// `@countersign/core/telemetry`: the node-only parts (the SDK start-up and a metrics listener).
export { listenForMetrics, type MetricsListener, type MetricsSource } from './metrics-listener.js';
export {
  type Environment,
  startTracing,
  type TracingHandle,
  tracingWanted,
} from './start-tracing.js';

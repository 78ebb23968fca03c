import type { GateDecisionEvent, GateDecisionListener } from '@countersign/core';
import { Counter, Histogram, Registry } from 'prom-client';

/** Gate latency, in seconds: allowed calls take microseconds, asked ones minutes. */
const BUCKETS = [0.0001, 0.001, 0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600];

/** Prometheus metrics for a gate, and the `onDecision` hook that feeds them. */
export interface GateMetrics {
  /** Give this to `createGate({ onDecision })` (or the adapter's `onDecision` option). */
  onDecision: GateDecisionListener;
  /** The registry the metrics are on: your own, or a new one. */
  registry: Registry;
}

/**
 * Counts every gate check in `countersign_gate_decisions_total{action, outcome}` (the policy's
 * `allow` / `deny` / `require` and the gate's answer) and times it in
 * `countersign_gate_duration_seconds{action}`, on `registry` (default: a new one). Labels are
 * bounded: tool names are not among them.
 *
 * @example
 * const metrics = gateMetrics(myRegistry);
 * const gate = createGate({ policy, onDecision: metrics.onDecision });
 */
export function gateMetrics(registry: Registry = new Registry()): GateMetrics {
  const decisions = new Counter({
    name: 'countersign_gate_decisions_total',
    help: "Gate checks, by the policy's action (allow, deny, require) and the gate's outcome",
    labelNames: ['action', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'countersign_gate_duration_seconds',
    help: "Time a gate check took, by the policy's action (require includes the human's wait)",
    labelNames: ['action'],
    buckets: BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    onDecision(event: GateDecisionEvent) {
      decisions.inc({ action: event.action, outcome: event.outcome });
      duration.observe({ action: event.action }, event.durationMs / 1000);
    },
  };
}

import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { GateCheckInput, GateDecision } from './gate-types.js';

/**
 * What the gate reports after each check, for an application's own metrics (a Prometheus
 * registry, StatsD, logs): bounded values only, so each can be a label.
 */
export interface GateDecisionEvent {
  /** The tool the call was for (as the policy saw it). */
  toolName: string;
  /** What the policy said: run it, refuse it, or ask a human. */
  action: 'allow' | 'deny' | 'require';
  /** What the gate answered: `allow`, `deny`, `respond` (a human answered instead) or `pending`. */
  outcome: GateDecision['outcome'];
  /** Why a call was denied (`policy`, `rejected`, `expired`, `unavailable`, ...), when it was. */
  reason?: string;
  /** The policy rule that matched, when one did. */
  rule?: string;
  /** Time from the start of the check to its answer, in milliseconds (includes the human's wait). */
  durationMs: number;
}

/** Called with each {@link GateDecisionEvent}; an error it throws is ignored (never fails a call). */
export type GateDecisionListener = (event: GateDecisionEvent) => void;

const tracer = trace.getTracer('@countersign/core');

/** Reports one finished check to the listener; the listener can never break the gate. */
export function reportDecision(
  listener: GateDecisionListener | undefined,
  input: GateCheckInput,
  action: GateDecisionEvent['action'],
  decision: GateDecision,
  startedAt: number,
): void {
  if (listener === undefined) return;
  const event: GateDecisionEvent = {
    toolName: input.toolName,
    action,
    outcome: decision.outcome,
    durationMs: performance.now() - startedAt,
  };
  if (decision.outcome === 'deny') event.reason = decision.reason;
  const rule = 'rule' in decision ? decision.rule : undefined;
  if (rule !== undefined) event.rule = rule;
  try {
    listener(event);
  } catch {
    // Metrics are best effort; the call's answer stands.
  }
}

/**
 * Runs the human-approval path inside a `countersign.gate` span, so the create request carries its
 * `traceparent` (the client sends the active span's) and the server's spans join the agent's trace.
 */
export function inGateSpan(
  input: GateCheckInput,
  ask: () => Promise<GateDecision>,
): Promise<GateDecision> {
  return tracer.startActiveSpan(
    'countersign.gate',
    { attributes: { 'gen_ai.tool.name': input.toolName } },
    async (span: Span) => {
      try {
        const decision = await ask();
        span.setAttribute('countersign.gate.outcome', decision.outcome);
        if (decision.outcome === 'deny') {
          span.setAttribute('countersign.gate.reason', decision.reason);
          if (decision.reason === 'unavailable' || decision.reason === 'invalid') {
            span.setStatus({ code: SpanStatusCode.ERROR, message: decision.reason });
          }
        }
        if ('requestId' in decision && decision.requestId !== undefined) {
          span.setAttribute('countersign.request.id', decision.requestId);
        }
        return decision;
      } finally {
        span.end();
      }
    },
  );
}

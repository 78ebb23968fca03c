import type { GateCheckInput, GateDecision, GateDeny, GatePending } from '@countersign/core';
import type { AdapterGate } from '@countersign/core/adapter';
import { interrupt, isGraphInterrupt } from '@langchain/langgraph';

/** A decision the adapter acts on: anything but `pending`. */
export type FinalDecision = Exclude<GateDecision, GatePending>;

/** The schema version of {@link CountersignInterrupt}, saved in checkpoints. */
export const COUNTERSIGN_INTERRUPT_VERSION = 1;

/**
 * The value of the LangGraph interrupt raised while a Countersign request is pending. It is saved
 * in the checkpoint, so it carries a schema version.
 */
export interface CountersignInterrupt {
  type: 'countersign.pending';
  schemaVersion: typeof COUNTERSIGN_INTERRUPT_VERSION;
  requestId: string;
  toolName: string;
  toolCallId?: string;
  runId?: string;
  /** Written for a human operator: what is waiting on whom. */
  message: string;
}

// After a resume, an already-decided request answers at once; a still-pending one only needs a
// short look before the run pauses again.
const RECHECK_WAIT_MS = 250;

/**
 * Asks the gate and, when it answers `pending` (only with `waitTimeoutMs`), pauses the LangGraph run
 * with an `interrupt`. When the run is resumed (see `resumeCountersign`), the node runs again, the
 * gate is asked again with the same input, and the idempotency key (run id + tool call id +
 * fingerprint) makes it re-attach to the same request instead of creating another.
 */
export async function checkOrPause(
  gate: AdapterGate,
  input: GateCheckInput,
): Promise<FinalDecision> {
  let decision = await gate.check(input);
  while (decision.outcome === 'pending') {
    const paused = pauseRun(decision, input);
    if (paused !== undefined) return paused;
    const recheckMs = Math.max(
      1,
      Math.min(input.waitTimeoutMs ?? RECHECK_WAIT_MS, RECHECK_WAIT_MS),
    );
    decision = await gate.check({ ...input, waitTimeoutMs: recheckMs });
  }
  return decision;
}

// Returns only when the run was resumed (the interrupt replays), or with a denial when the run
// cannot pause at all (no checkpointer or thread_id): then the call fails closed.
function pauseRun(decision: GatePending, input: GateCheckInput): GateDeny | undefined {
  const value: CountersignInterrupt = {
    type: 'countersign.pending',
    schemaVersion: COUNTERSIGN_INTERRUPT_VERSION,
    requestId: decision.requestId,
    toolName: input.toolName,
    ...(input.toolCallId === undefined ? {} : { toolCallId: input.toolCallId }),
    ...(input.runId === undefined ? {} : { runId: input.runId }),
    message: decision.message,
  };
  try {
    interrupt(value);
    return undefined;
  } catch (error) {
    if (isGraphInterrupt(error)) throw error;
    return {
      outcome: 'deny',
      reason: 'unavailable',
      requestId: decision.requestId,
      cause: error,
      message:
        `Approval request ${decision.requestId} for ${input.toolName} is still pending and this run ` +
        'cannot pause to wait for it (the agent needs a checkpointer and a thread_id), so the tool ' +
        'did not run. Do not retry it now; tell the user it is awaiting approval.',
    };
  }
}

/** True when `value` is the payload of a Countersign interrupt. */
export function isCountersignInterrupt(value: unknown): value is CountersignInterrupt {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'countersign.pending' &&
    typeof (value as { requestId?: unknown }).requestId === 'string'
  );
}

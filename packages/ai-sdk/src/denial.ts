import type { DenyReason, GateDeny } from './core-types.js';

/**
 * The tool result the model gets when Countersign did not let a call run. It is a plain JSON object, so the
 * model can read why (`reason`) and what to do (`message`).
 */
export interface DeniedToolResult {
  denied: true;
  /**
   * `rejected` is the only reason that means a human said no; `expired` and `cancelled` are not rejections.
   * `pending`: the gate stopped waiting (its `defaultWaitTimeoutMs`) and the request is still open.
   */
  reason: DenyReason | 'pending';
  /** Written for the model: what happened and what to do next. */
  message: string;
  /** The Countersign request, when one was made. */
  requestId?: string;
}

/** Turns a gate denial into the tool result the model reads. */
export function deniedToolResult(decision: GateDeny): DeniedToolResult {
  return {
    denied: true,
    reason: decision.reason,
    message: decision.message,
    ...(decision.requestId === undefined ? {} : { requestId: decision.requestId }),
  };
}

/** True for a {@link DeniedToolResult}. */
export function isDeniedToolResult(value: unknown): value is DeniedToolResult {
  return (
    typeof value === 'object' && value !== null && (value as { denied?: unknown }).denied === true
  );
}

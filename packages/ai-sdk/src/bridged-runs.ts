import type { GateAllow, GateDeny } from '@countersign/core';
import {
  beginReported,
  endReported,
  type ReportingGate,
  type ToolApprovalInfo,
  toolApprovalInfo,
} from '@countersign/core/adapter';

interface BridgedRun {
  gate: ReportingGate;
  decision: GateAllow;
  approval: ToolApprovalInfo;
}

/** One call as the SDK names it to `toolApproval`, `execute` and `onToolExecutionEnd` alike. */
export interface BridgedCall {
  /** The step's messages: the SDK hands the same array to all three hooks of one step. */
  messages: object;
  toolCallId: string;
}

/** The part of the SDK's `onToolExecutionEnd` event the bridge reads. */
export interface ToolExecutionEndInfo {
  readonly toolCall: { readonly toolCallId: string };
  readonly messages: object;
  /** `tool-result`, or `tool-error` with the thrown `error`. */
  readonly toolOutput: { readonly type: string; readonly error?: unknown };
}

// A call `countersignToolApproval` approved runs inside the SDK, whose `execute` options carry no
// data of ours. Keyed by the step's messages array and the tool call id: concurrent runs never see
// each other's approvals (even with the same ids), and nothing outlives the step's messages.
const runs = new WeakMap<object, Map<string, BridgedRun>>();

/**
 * Reports `executing` for a call the bridge is about to approve and remembers its approval for the
 * tool's `execute`; resolves with a denial when the server refuses (the call must not run then).
 */
export async function beginBridgedRun(
  gate: ReportingGate,
  decision: GateAllow,
  call: BridgedCall,
): Promise<GateDeny | undefined> {
  const refused = await beginReported(gate, decision);
  if (refused) return refused;
  if (decision.requestId === undefined) return undefined;
  let step = runs.get(call.messages);
  if (step === undefined) {
    step = new Map();
    runs.set(call.messages, step);
  }
  step.set(call.toolCallId, { gate, decision, approval: toolApprovalInfo(decision) });
  return undefined;
}

/** The approval of the call whose `execute` got `options`, if the bridge approved it. */
export function bridgedApproval(options: unknown): ToolApprovalInfo | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const { messages, toolCallId } = options as { messages?: unknown; toolCallId?: unknown };
  if (typeof messages !== 'object' || messages === null || typeof toolCallId !== 'string') {
    return undefined;
  }
  return runs.get(messages)?.get(toolCallId)?.approval;
}

/** Reports `succeeded`, or `failed` with the error, for a call begun by {@link beginBridgedRun}. */
export async function endBridgedRun(event: ToolExecutionEndInfo): Promise<void> {
  const step = runs.get(event.messages);
  const run = step?.get(event.toolCall.toolCallId);
  if (step === undefined || run === undefined) return;
  step.delete(event.toolCall.toolCallId);
  const { toolOutput } = event;
  await endReported(
    run.gate,
    run.decision,
    toolOutput.type === 'tool-error' ? { error: toolOutput.error } : undefined,
  );
}

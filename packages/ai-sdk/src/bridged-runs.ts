import {
  type ReportedRunEntry,
  ReportedRuns,
  type RunStore,
  type ToolApprovalInfo,
} from '@countersign/core/adapter';

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

// Keyed by the step's messages array, then the tool call id: concurrent runs never see each
// other's approvals (even with the same ids), and nothing outlives the step's messages.
class StepStore implements RunStore<BridgedCall> {
  readonly #steps = new WeakMap<object, Map<string, ReportedRunEntry>>();

  get(call: BridgedCall): ReportedRunEntry | undefined {
    return this.#steps.get(call.messages)?.get(call.toolCallId);
  }

  set(call: BridgedCall, entry: ReportedRunEntry): void {
    let step = this.#steps.get(call.messages);
    if (step === undefined) {
      step = new Map();
      this.#steps.set(call.messages, step);
    }
    step.set(call.toolCallId, entry);
  }

  delete(call: BridgedCall): void {
    this.#steps.get(call.messages)?.delete(call.toolCallId);
  }
}

/**
 * The calls `countersignToolApproval` approved: they run inside the SDK, whose `execute` options
 * carry no data of ours, so the tool finds its approval here (see `approvalOf`).
 */
export const bridgedRuns = new ReportedRuns<BridgedCall>(new StepStore());

/** The approval of the call whose `execute` got `options`, if the bridge approved it. */
export function bridgedApproval(options: unknown): ToolApprovalInfo | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const { messages, toolCallId } = options as { messages?: unknown; toolCallId?: unknown };
  if (typeof messages !== 'object' || messages === null || typeof toolCallId !== 'string') {
    return undefined;
  }
  return bridgedRuns.approval({ messages, toolCallId });
}

/** Reports `succeeded`, or `failed` with the error, for a call the bridge approved. */
export function endBridgedRun(event: ToolExecutionEndInfo): Promise<void> {
  const { toolOutput } = event;
  return bridgedRuns.end(
    { messages: event.messages, toolCallId: event.toolCall.toolCallId },
    toolOutput.type === 'tool-error' ? { error: toolOutput.error } : undefined,
  );
}

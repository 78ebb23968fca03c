import type { ModelMessage, Tool, ToolApprovalStatus, ToolSet, TypedToolCall } from 'ai';
import { approvalStatusFor } from './approval-status.js';
import { bridgedRuns, endBridgedRun, type ToolExecutionEndInfo } from './bridged-runs.js';
import { checkCall } from './check-call.js';
import {
  type CountersignCallOptions,
  resolveCallOptions,
  type ToolCallInfo,
  waitTimeoutProblems,
} from './gate-options.js';
import { toolNeedsApproval } from './needs-approval.js';
import { isWrappedTool } from './with-approval.js';

/** Options for {@link countersignToolApproval}. */
export interface CountersignToolApprovalOptions extends CountersignCallOptions {
  /**
   * Wait at most this long (ms) for a human. Still undecided → `'user-approval'`: the SDK emits a
   * `tool-approval-request` and stops, and the chat helpers settle it later. Default: wait for the decision
   * (the request's own deadline), so the loop continues in the same call.
   */
  waitTimeoutMs?: number;
  /** Aborts waiting (pass the same signal as to `generateText`); the call is then denied. */
  abortSignal?: AbortSignal;
}

/**
 * A generic `toolApproval` function; it fits any tool context and runtime context type. Its
 * `onToolExecutionEnd` goes to the same call's `onToolExecutionEnd` option.
 */
export type CountersignToolApprovalFunction<TOOLS extends ToolSet = ToolSet> = ((options: {
  toolCall: TypedToolCall<TOOLS>;
  tools: TOOLS | undefined;
  toolsContext: unknown;
  runtimeContext: unknown;
  messages: ModelMessage[];
}) => Promise<ToolApprovalStatus>) & {
  /**
   * Reports `succeeded`, or `failed` with the error, for the calls this function approved: pass
   * it as `onToolExecutionEnd` to `generateText`, `streamText` or `ToolLoopAgent` (call it from
   * your own callback if you have one). Without it those calls stay `executing` on the server.
   */
  onToolExecutionEnd: (event: ToolExecutionEndInfo) => Promise<void>;
};

/**
 * A `toolApproval` function for `generateText`, `streamText` and `ToolLoopAgent` that asks Countersign and
 * answers with the SDK's own statuses: approved → `'approved'` (an automatic `tool-approval-request` /
 * `tool-approval-response` pair, then the tool runs); rejected, expired, cancelled, unavailable →
 * `{ type: 'denied', reason }` (the model sees `execution-denied` with our reason); allowed by policy
 * without asking → `'not-applicable'`.
 *
 * Edited arguments and answers: the SDK can only run the call as made, so they are approved only for tools wrapped
 * by `withApproval` (whose `execute` resumes the same request and runs the re-validated edit, or returns the
 * answer); for other tools they are denied with a reason that tells the model what the reviewer changed or said.
 *
 * Precedence: a generic `toolApproval` function replaces every tool's `needsApproval` in the SDK. So that
 * nothing gets less protection, a call whose tool has `needsApproval` (`true`, or a function returning `true` for
 * this input) is decided on Countersign even when the policy would let it through (the gate's `requireApproval`,
 * with the policy's `approval` defaults). A policy denial wins over `needsApproval`; a policy `require` keeps its
 * rule's approval spec. When the SDK re-validates a client-supplied approval (continuation) and the
 * Countersign request is still undecided, the call is denied: only a Countersign decision approves it.
 *
 * Execution: an approved call of a tool that is not wrapped by `withApproval` is reported `executing` here,
 * the last point where Countersign can still stop it (the server refusing, because another attempt ran it,
 * denies the call), and `succeeded` / `failed` by the function's `onToolExecutionEnd`. Its `execute` reads
 * the approval, with the signed receipt, with `approvalOf(options)`. A wrapped tool reports from its own
 * `execute`.
 *
 * Works with `experimental_toolApprovalSecret` (the SDK signs the requests we cause and verifies them on
 * continuation; a tampered input also changes the fingerprint, which is a different request).
 *
 * @example
 * const toolApproval = countersignToolApproval({ gate });
 * await generateText({ model, tools, prompt, toolApproval, onToolExecutionEnd: toolApproval.onToolExecutionEnd });
 */
export function countersignToolApproval<TOOLS extends ToolSet = ToolSet>(
  options: CountersignToolApprovalOptions,
): CountersignToolApprovalFunction<TOOLS> {
  const resolved = resolveCallOptions(
    options,
    'countersignToolApproval',
    waitTimeoutProblems(options?.waitTimeoutMs),
  );
  const approve = async ({
    toolCall,
    tools,
    toolsContext,
    runtimeContext,
    messages,
  }: Parameters<CountersignToolApprovalFunction>[0]): Promise<ToolApprovalStatus> => {
    // Provider-executed tools run at the provider; the SDK does not gate them.
    if (toolCall.providerExecuted === true) return 'not-applicable';
    const tool = lookup(tools, toolCall.toolName);
    const call: ToolCallInfo = {
      toolName: toolCall.toolName,
      toolCallId: toolCall.toolCallId,
      input: toolCall.input,
      toolContext: lookup(toolsContext as Record<string, unknown> | undefined, toolCall.toolName),
      runtimeContext,
    };
    const requireApproval = await toolNeedsApproval(tool, call, messages);
    const decision = await checkCall(resolved, tool, call, {
      requireApproval,
      ...(options.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: options.waitTimeoutMs }),
      ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
    });
    if (decision.outcome === 'allow' && decision.requestId === undefined) {
      // A gate that ignores `requireApproval` (a custom one): keep the tool's own in-chat approval.
      return requireApproval ? 'user-approval' : 'not-applicable';
    }
    if (decision.outcome === 'pending' && hasApprovalRequest(messages, toolCall.toolCallId)) {
      return {
        type: 'denied',
        reason: `Not approved on Countersign yet (request ${decision.requestId} is still pending); the tool did not run.`,
      };
    }
    const status = approvalStatusFor(decision, { toolRunsEdits: isWrappedTool(tool) });
    if (decision.outcome !== 'allow' || !approves(status) || !runsUnwrapped(tool)) return status;
    const bridged = { messages, toolCallId: toolCall.toolCallId };
    const refused = await bridgedRuns.begin(bridged, resolved.gate, decision);
    return refused ? { type: 'denied', reason: refused.message } : status;
  };
  return Object.assign(approve, {
    onToolExecutionEnd: endBridgedRun,
  }) as CountersignToolApprovalFunction<TOOLS>;
}

function approves(status: ToolApprovalStatus): boolean {
  return status === 'approved' || (typeof status === 'object' && status.type === 'approved');
}

// The SDK runs the tool's own `execute`; a wrapped one reports itself, a client-side one runs elsewhere.
function runsUnwrapped(tool: Tool | undefined): boolean {
  return typeof tool?.execute === 'function' && !isWrappedTool(tool);
}

function lookup<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** True when `messages` already hold an approval request for the call: the SDK is re-validating an approval. */
export function hasApprovalRequest(messages: readonly ModelMessage[], toolCallId: string): boolean {
  return messages.some(
    (message) =>
      message.role === 'assistant' &&
      Array.isArray(message.content) &&
      message.content.some(
        (part) => part.type === 'tool-approval-request' && part.toolCallId === toolCallId,
      ),
  );
}

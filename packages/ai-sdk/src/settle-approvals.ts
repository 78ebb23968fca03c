import type { ModelMessage, ToolApprovalStatus, ToolSet } from 'ai';
import { approvalStatusFor } from './approval-status.js';
import { checkCall } from './check-call.js';
import type { GateDecision } from './core-types.js';
import {
  type CountersignCallOptions,
  type ResolvedCallOptions,
  resolveCallOptions,
  type ToolCallInfo,
  waitTimeoutProblems,
} from './gate-options.js';
import { toolNeedsApproval } from './needs-approval.js';
import { isWrappedTool } from './with-approval.js';

/** An SDK approval request waiting on Countersign. */
export interface OpenApproval {
  /** The SDK's `approvalId`. */
  approvalId: string;
  toolCallId: string;
  toolName: string;
  input: unknown;
}

/** One approval request after asking Countersign about it. */
export interface CheckedApproval extends OpenApproval {
  decision: GateDecision;
  /** `approved` / `reason` for the SDK's `tool-approval-response`; absent while undecided. */
  answer?: { approved: boolean; reason?: string };
}

/** Options for the chat helpers (`settleToolApprovals`, `settleUIMessageApprovals`). */
export interface SettleApprovalsOptions extends CountersignCallOptions {
  /** The tools of the chat route (the same set passed to `streamText`): schemas, and edit support. */
  tools: ToolSet;
  /** The `toolsContext` passed to `streamText`, so each request carries the same context. */
  toolsContext?: Record<string, unknown>;
  /** The `runtimeContext` passed to `streamText` (for the default run id). */
  runtimeContext?: unknown;
  /**
   * How long (ms) to wait for the humans in this call, e.g. 25 000 in a route handler, so the user sees
   * the answer without polling. Default 0: create or look up the requests and return at once.
   */
  waitTimeoutMs?: number;
  /** Aborts waiting (e.g. the HTTP request's signal); undecided requests stay open. */
  abortSignal?: AbortSignal;
}

/** Rejects a bad options object at construction time of a helper call. */
export function resolveSettleOptions(
  options: SettleApprovalsOptions,
  where: string,
): ResolvedCallOptions<SettleApprovalsOptions> {
  const problems = waitTimeoutProblems(options?.waitTimeoutMs);
  if (typeof options?.tools !== 'object' || options.tools === null) {
    problems.push("tools must be the route's tool set");
  }
  return resolveCallOptions(options, where, problems);
}

/**
 * Creates (or resumes, by `toolCallId` + fingerprint) the Countersign request of each open approval, in
 * parallel, and waits up to `waitTimeoutMs` for the decisions. Never throws: a failure is a denial.
 */
export async function checkApprovals(
  open: readonly OpenApproval[],
  options: ResolvedCallOptions<SettleApprovalsOptions>,
  messages: readonly ModelMessage[] = [],
): Promise<CheckedApproval[]> {
  const waitTimeoutMs = options.waitTimeoutMs ?? 0;
  return Promise.all(
    open.map(async (approval) => {
      const tool = Object.hasOwn(options.tools, approval.toolName)
        ? options.tools[approval.toolName]
        : undefined;
      const call: ToolCallInfo = {
        toolName: approval.toolName,
        toolCallId: approval.toolCallId,
        input: approval.input,
        toolContext: options.toolsContext?.[approval.toolName],
        runtimeContext: options.runtimeContext,
      };
      const decision = await checkCall(options, tool, call, {
        waitTimeoutMs,
        requireApproval: await toolNeedsApproval(tool, call, messages),
        ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
      });
      const answer = answerFor(
        approvalStatusFor(decision, { toolRunsEdits: isWrappedTool(tool) }),
        decision,
      );
      return { ...approval, decision, ...(answer === undefined ? {} : { answer }) };
    }),
  );
}

function answerFor(status: ToolApprovalStatus, decision: GateDecision): CheckedApproval['answer'] {
  if (decision.outcome === 'pending') return undefined;
  // Aborting our wait says nothing about the request: it stays open.
  if (decision.outcome === 'deny' && decision.reason === 'aborted') return undefined;
  if (status === undefined || status === 'not-applicable') {
    return { approved: true, reason: 'The Countersign policy allows this call without approval' };
  }
  if (typeof status === 'string') return { approved: status === 'approved' };
  if (status.type === 'approved')
    return { approved: true, ...(status.reason ? { reason: status.reason } : {}) };
  if (status.type === 'denied')
    return { approved: false, ...(status.reason ? { reason: status.reason } : {}) };
  return undefined;
}

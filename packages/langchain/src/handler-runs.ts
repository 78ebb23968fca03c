import type { GateAllow } from '@countersign/core';
import {
  beginReported,
  endReported,
  type ReportingGate,
  type ToolApprovalInfo,
  toolApprovalInfo,
} from '@countersign/core/adapter';
import type { FinalDecision } from './pending.js';

interface ApprovedRun {
  gate: ReportingGate;
  decision: GateAllow;
  approval: ToolApprovalInfo;
}

// The tool runs a `CountersignCallbackHandler` let through, by LangChain run id (unique per tool
// run), from `handleToolStart` until `handleToolEnd` / `handleToolError`. A callback cannot change
// the tool's config, so this is where the tool finds its approval (see `approvalOf`).
const runs = new Map<string, ApprovedRun>();

/**
 * Reports `executing` for a run the handler allowed and remembers its approval for the tool;
 * resolves with a denial when the server refuses (the tool must not run then).
 */
export async function beginHandlerRun(
  gate: ReportingGate,
  runId: string,
  decision: GateAllow,
): Promise<FinalDecision | undefined> {
  const refused = await beginReported(gate, decision);
  if (refused) return refused;
  if (decision.requestId !== undefined) {
    runs.set(runId, { gate, decision, approval: toolApprovalInfo(decision) });
  }
  return undefined;
}

/** Reports `succeeded`, or `failed` with `error`, for a run begun by {@link beginHandlerRun}. */
export async function endHandlerRun(
  runId: string,
  outcome: { error: unknown } | undefined = undefined,
): Promise<void> {
  const run = runs.get(runId);
  if (run === undefined) return;
  runs.delete(runId);
  await endReported(run.gate, run.decision, outcome);
}

interface RunManagerLike {
  runId?: unknown;
  getChild?: unknown;
  getParentRunId?: unknown;
}

/**
 * The approval of the tool run `holder` belongs to: a tool's `config` (whose `callbacks` is the
 * child manager of its run, as `tool()` builds it), that child manager, or the tool's own run
 * manager (`_call(input, runManager)` in a `StructuredTool` subclass).
 */
export function handlerRunApproval(holder: unknown): ToolApprovalInfo | undefined {
  const runId =
    runIdOf(holder) ?? runIdOf((holder as { callbacks?: unknown } | null | undefined)?.callbacks);
  return runId === undefined ? undefined : runs.get(runId)?.approval;
}

function runIdOf(candidate: unknown): string | undefined {
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const manager = candidate as RunManagerLike;
  if (typeof manager.runId === 'string' && typeof manager.getChild === 'function') {
    return manager.runId;
  }
  if (typeof manager.getParentRunId !== 'function') return undefined;
  const parent: unknown = manager.getParentRunId();
  return typeof parent === 'string' ? parent : undefined;
}

import { ReportedRuns, type ToolApprovalInfo } from '@countersign/core/adapter';

/**
 * The tool runs a `CountersignCallbackHandler` let through, by LangChain run id (unique per tool
 * run), from `handleToolStart` until `handleToolEnd` / `handleToolError`. A callback cannot change
 * the tool's config, so this is where the tool finds its approval (see `approvalOf`).
 */
export const handlerRuns = new ReportedRuns<string>();

interface RunManagerLike {
  runId?: unknown;
  getChild?: unknown;
  getParentRunId?: unknown;
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

/**
 * The approval of the tool run `holder` belongs to: a tool's `config` (whose `callbacks` is the
 * child manager of its run, as `tool()` builds it), that child manager, or the tool's own run
 * manager (`_call(input, runManager)` in a `StructuredTool` subclass).
 */
export function handlerRunApproval(holder: unknown): ToolApprovalInfo | undefined {
  const runId =
    runIdOf(holder) ?? runIdOf((holder as { callbacks?: unknown } | null | undefined)?.callbacks);
  return runId === undefined ? undefined : handlerRuns.approval(runId);
}

import { type AdapterGate, type GateSourceOptions, resolveGate } from '@countersign/core/adapter';
import type { JsonObject, ToolAnnotations } from './core-types.js';

/** The part of the Countersign gate the adapter uses (core's `AdapterGate`); `createGate()` returns one. */
export type GateLike = AdapterGate;

/** One tool call as the adapter sees it, whichever AI SDK hook it came from. */
export interface ToolCallInfo {
  /** The tool's name in the tool set. */
  toolName: string;
  /** The SDK's id for the call (the model's, e.g. `call_abc`). */
  toolCallId: string;
  /** The parsed input the model sent. */
  input: unknown;
  /** The tool's own context (`toolsContext[toolName]`, `context` in `execute`). */
  toolContext?: unknown;
  /** The call's `runtimeContext` (seen by `toolApproval`, not by `execute`). */
  runtimeContext?: unknown;
}

/**
 * Options shared by {@link withApproval}, {@link countersignToolApproval} and the chat helpers: the gate
 * (`gate`, or `policy` / `service` to make one, as in every Countersign adapter) and how a call is described.
 */
export interface CountersignCallOptions extends GateSourceOptions {
  /**
   * The run (conversation, thread) a call belongs to; with the `toolCallId` and the fingerprint it makes the
   * request key, so a restarted route handler resumes the same request. A function must be deterministic.
   * Default: `toolContext.runId`, else `runtimeContext.runId`, when a string. A tool's `execute` does not see
   * `runtimeContext`: when pairing `withApproval` with the toolApproval bridge, pass the run id here or in
   * `toolsContext` so both check the same request.
   */
  runId?: string | ((call: ToolCallInfo) => string | undefined);
  /**
   * What the reviewer and the policy's `context` see (user, tenant). A function must be deterministic.
   * Default: none.
   */
  context?: JsonObject | ((call: ToolCallInfo) => JsonObject | undefined);
  /** A plain-words description of the call for the reviewer. Default: the gate's own. */
  action?: (call: ToolCallInfo) => string | undefined;
  /** Tool hints (per tool name) visible to policy conditions as `tool.annotations`. */
  annotations?: Record<string, ToolAnnotations>;
}

/** Options after {@link resolveCallOptions}: the gate is always there. */
export type ResolvedCallOptions<O extends CountersignCallOptions> = O & { gate: GateLike };

/**
 * Rejects a bad options object at construction (one `CountersignError` with code `validation_failed`
 * naming every problem, the caller's own `problems` included), and makes the gate when only a policy or
 * service is given.
 */
export function resolveCallOptions<O extends CountersignCallOptions>(
  options: O,
  where: string,
  problems: readonly string[] = [],
): ResolvedCallOptions<O> {
  const own = [...problems];
  if (typeof options === 'object' && options !== null) {
    if (options.runId !== undefined && !['string', 'function'].includes(typeof options.runId)) {
      own.push('runId must be a string or a function');
    }
    if (options.action !== undefined && typeof options.action !== 'function') {
      own.push('action must be a function');
    }
  }
  const gate = resolveGate(options, where, { problems: own });
  return options.gate === gate ? (options as ResolvedCallOptions<O>) : { ...options, gate };
}

/** The problem with a `waitTimeoutMs` option (a number of milliseconds, 0 or more), if any. */
export function waitTimeoutProblems(waitTimeoutMs: unknown): string[] {
  if (waitTimeoutMs === undefined) return [];
  const valid =
    typeof waitTimeoutMs === 'number' && Number.isFinite(waitTimeoutMs) && waitTimeoutMs >= 0;
  return valid ? [] : ['waitTimeoutMs must be a number >= 0'];
}

/** Derives the run id for a call from the options or the tool context. */
export function runIdFor(options: CountersignCallOptions, call: ToolCallInfo): string | undefined {
  if (typeof options.runId === 'string') return options.runId;
  if (typeof options.runId === 'function') return options.runId(call);
  for (const source of [call.toolContext, call.runtimeContext]) {
    const runId = (source as { runId?: unknown } | undefined)?.runId;
    if (typeof runId === 'string') return runId;
  }
  return undefined;
}
